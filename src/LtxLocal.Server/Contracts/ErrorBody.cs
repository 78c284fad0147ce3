namespace LtxLocal.Server.Contracts;

/// <summary>The documented error shape: <c>{"type": "error", "error": {"type": ..., "message": ...}}</c>.</summary>
public sealed record ErrorBody(string Type, ErrorDetail Error)
{
    public static ErrorBody Of(string type, string message) => new("error", new ErrorDetail(type, message));
}
