namespace LtxLocal.Models.VideoVae;

/// <summary>Spatio-temporal compression of a VAE: every compress_* block is a stride-2 step on its axes.</summary>
public readonly record struct ScaleFactors(int Time, int Height, int Width)
{
    public static ScaleFactors FromBlocks(IEnumerable<VaeBlockSpec> blocks, int patchSize)
    {
        int time = 1, space = patchSize;
        foreach (var block in blocks)
        {
            if (block.Name.StartsWith("compress_space", StringComparison.Ordinal) || block.Name.StartsWith("compress_all", StringComparison.Ordinal)) space *= 2;
            if (block.Name.StartsWith("compress_time", StringComparison.Ordinal) || block.Name.StartsWith("compress_all", StringComparison.Ordinal)) time *= 2;
        }
        return new ScaleFactors(time, space, space);
    }
}
