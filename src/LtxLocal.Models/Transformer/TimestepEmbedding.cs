using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// <c>emb.timestep_embedder</c>: the 256-channel sinusoid of the (already scaled) timestep, then
/// linear_1 -> SiLU -> linear_2 (timestep_embedding.py, PixArt-alpha combined embedding without size terms).
/// </summary>
public sealed class TimestepEmbedding : Module
{
    public const int SinusoidChannels = 256;

    private readonly Linear _linear1;
    private readonly Linear _linear2;

    public TimestepEmbedding(long embeddingDim, ModuleOptions options)
    {
        _linear1 = RegisterModule("linear_1", new Linear(SinusoidChannels, embeddingDim, true, options));
        _linear2 = RegisterModule("linear_2", new Linear(embeddingDim, embeddingDim, true, options));
    }

    /// <summary>The dtype of the MLP's weights.</summary>
    public DType WeightDType => _linear1.Weight.DType;

    /// <summary>[N] timesteps -> [N, dim] embedded timestep in <paramref name="dtype"/>.</summary>
    public Tensor Forward(Tensor timesteps, DType dtype)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var sinusoid = Sinusoid(timesteps).To(dtype);
        var embedded = _linear2.Forward(_linear1.Forward(sinusoid).Silu_());
        return scope.MoveToOuter(embedded);
    }

    /// <summary>
    /// [N] -> [N, 256], cos half first (flip_sin_to_cos). The frequencies and arguments are float32 exactly as the
    /// reference forms them: -ln(10000) rounded to float32, times i, / 128, exp; then float32(t) · freq.
    /// </summary>
    public static Tensor Sinusoid(Tensor timesteps)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        const int half = SinusoidChannels / 2;
        var exponent = Tensor.Arange(0, half, 1, DType.Float32, timesteps.Device).Mul(-Math.Log(10000)).Div(half);
        var arguments = timesteps.To(DType.Float32).Unsqueeze(1) * exponent.Exp_().Unsqueeze(0); // [N, 128]
        var embedding = Tensor.Cat(new[] { arguments.Cos(), arguments.Sin() }, -1);
        return scope.MoveToOuter(embedding);
    }
}
