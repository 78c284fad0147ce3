namespace LtxLocal.Torch.NN;

/// <summary>What a state-dict load found: keys the module has but the source lacks, and the reverse.</summary>
public sealed record LoadReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, long BytesLoaded)
{
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0;
}
