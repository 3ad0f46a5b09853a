package dev.cirrus.gateway.throttling;

/**
 * A token bucket: it holds at most {@code capacity} tokens and regains {@code refillPerSecond} of them each second;
 * each request takes one. Example with capacity 3 and 1/s: three requests at t=0 pass (0 left), a fourth at t=0.5 s
 * is refused and may retry after 0.5 s; at t=1 s one token is back.
 */
final class TokenBucket {

    /** The outcome of a request: allowed or not, tokens left, and when the next token is there (ms, 0 if now). */
    record Take(boolean allowed, long remaining, long retryAfterMillis) {
    }

    private final double capacity;
    private final double refillPerMilli;
    private double tokens;
    private long lastMillis;

    TokenBucket(int capacity, double refillPerSecond, long nowMillis) {
        this.capacity = capacity;
        this.refillPerMilli = refillPerSecond / 1000.0;
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    synchronized Take take(long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * refillPerMilli);
            lastMillis = nowMillis;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return new Take(true, (long) Math.floor(tokens), 0);
        }
        return new Take(false, 0, (long) Math.ceil((1 - tokens) / refillPerMilli));
    }
}
