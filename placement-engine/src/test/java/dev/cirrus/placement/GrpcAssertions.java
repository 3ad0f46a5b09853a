package dev.cirrus.placement;

import static org.assertj.core.api.Assertions.fail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The status a gRPC call failed with. */
public final class GrpcAssertions {

    public interface Call {
        void run() throws Exception;
    }

    private GrpcAssertions() {
    }

    public static Status statusOf(Call call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        } catch (Exception e) {
            throw new AssertionError("the call failed, but not with a gRPC status", e);
        }
        return fail("the call succeeded, but a failure was expected");
    }
}
