namespace LtxLocal.Server.Contracts;

/// <summary>The error's type (invalid_request_error, not_found_error, ...) and its message.</summary>
public sealed record ErrorDetail(string Type, string Message);
