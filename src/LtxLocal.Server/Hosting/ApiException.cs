namespace LtxLocal.Server.Hosting;

/// <summary>
/// The one error type of the API: thrown anywhere while handling a request and turned into the
/// documented body {"type":"error","error":{"type":...,"message":...}} by <see cref="ErrorMiddleware"/>.
/// </summary>
public sealed class ApiException(int status, string type, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    /// <summary>Seconds for a Retry-After header (429, 503).</summary>
    public int? RetryAfter { get; init; }
    /// <summary>The methods for an Allow header (405).</summary>
    public IReadOnlyList<string>? Allow { get; init; }

    public static ApiException BadRequest(string message) => new(400, "invalid_request_error", message);
    public static ApiException Unauthorized(string message) => new(401, "authentication_error", message);
    public static ApiException NotFound(string message) => new(404, "not_found", message);
    public static ApiException MethodNotAllowed(string message, IReadOnlyList<string> allow) => new(405, "method_not_allowed", message) { Allow = allow };
    public static ApiException Conflict(string message) => new(409, "conflict", message);
    public static ApiException TooLarge(string message) => new(413, "request_too_large", message);
    /// <summary>The operator's content checker denied the request's prompt or images (safety.check_inputs).</summary>
    public static ApiException ContentFiltered(string message) => new(422, "content_filtered_error", message);
    public static ApiException QueueFull(string message, int retryAfter) => new(429, "rate_limit_error", message) { RetryAfter = retryAfter };
    public static ApiException Unavailable(string message) => new(503, "service_unavailable", message);
    public static ApiException InsufficientStorage(string message) => new(507, "insufficient_storage", message);
}
