using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// PixArt-α combined timestep embedding without size embedding (ltx_core/model/transformer/timestep_embedding.py):
/// a 256-channel sinusoid, cos first, freq_i = exp(-ln(10000)·i/128) formed in float32, then
/// <c>timestep_embedder.linear_1</c> → SiLU → <c>timestep_embedder.linear_2</c>.
/// </summary>
public sealed class TimestepEmbedder : Module
{
    private const int Channels = 256;

    public TimestepEmbedder(long embeddingDim, ModuleOptions? options = null)
    {
        var inner = RegisterModule("timestep_embedder", new Inner(embeddingDim, options));
        Linear1 = inner.Linear1;
        Linear2 = inner.Linear2;
    }

    private Linear Linear1 { get; }

    private Linear Linear2 { get; }

    /// <summary>[N] timesteps → [N, embeddingDim].</summary>
    public Tensor Forward(Tensor timesteps)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        const int half = Channels / 2;
        var exponent = Tensor.Arange(0, half, 1, DType.Float32, timesteps.Device) * -Math.Log(10000) / half;
        var angles = timesteps.To(DType.Float32).Unsqueeze(1) * exponent.Exp().Unsqueeze(0); // [N, 128]
        var sinusoid = Tensor.Cat(new[] { angles.Cos(), angles.Sin() }, -1).To(Linear1.Weight.DType);
        return scope.MoveToOuter(Linear2.Forward(Linear1.Forward(sinusoid).Silu()));
    }

    private sealed class Inner : Module
    {
        public Inner(long dim, ModuleOptions? options)
        {
            Linear1 = RegisterModule("linear_1", new Linear(Channels, dim, true, options));
            Linear2 = RegisterModule("linear_2", new Linear(dim, dim, true, options));
        }

        public Linear Linear1 { get; }

        public Linear Linear2 { get; }
    }
}
