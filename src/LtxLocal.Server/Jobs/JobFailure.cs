namespace LtxLocal.Server.Jobs;

/// <summary>A job failure with an error type of its own for the status body.</summary>
public sealed class JobFailure(string type, string message) : Exception(message)
{
    public string Type { get; } = type;
}
