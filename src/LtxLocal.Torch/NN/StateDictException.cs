namespace LtxLocal.Torch.NN;

/// <summary>A state dict that does not fit a module; lists every missing, unexpected and mismatched key by name.</summary>
public sealed class StateDictException : Exception
{
    public StateDictException(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<string> mismatched)
        : base(Describe(moduleName, missing, unexpected, mismatched))
    {
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    public IReadOnlyList<string> Missing { get; }

    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>"name: checkpoint [..] vs module [..]" per key.</summary>
    public IReadOnlyList<string> Mismatched { get; }

    private static string Describe(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<string> mismatched)
    {
        var lines = new List<string> { $"Error(s) loading the state dict of {moduleName}:" };
        if (missing.Count > 0) lines.Add($"  missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"  unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (mismatched.Count > 0) lines.Add($"  size mismatches ({mismatched.Count}): {string.Join("; ", mismatched)}");
        return string.Join(Environment.NewLine, lines);
    }
}
