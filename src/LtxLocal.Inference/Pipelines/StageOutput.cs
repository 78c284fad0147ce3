namespace LtxLocal.Inference.Pipelines;

/// <summary>A stage's result: video latent [1, C, F, H, W] and audio latent [1, C, T, mel] (null when not generated).</summary>
public sealed record StageOutput(Tensor Video, Tensor? Audio) : IDisposable
{
    public void Dispose()
    {
        Video.Dispose();
        Audio?.Dispose();
    }
}
