package dev.cirrus.serverless.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.serverless.function.FunctionDefinition;
import dev.cirrus.serverless.functionapp.FunctionApp;

/** An app with its functions, as one version: what instances are started from. */
public record AppDefinition(FunctionApp app, List<FunctionDefinition> functions) {

    public long version() {
        return app.version();
    }

    public AppCode code() {
        Map<String, AppCode.FunctionCode> code = new LinkedHashMap<>();
        for (FunctionDefinition function : functions) {
            code.put(function.name(), new AppCode.FunctionCode(function.name(), function.files(),
                    function.config().scriptFile(), function.config().entryPoint()));
        }
        return new AppCode(code);
    }
}
