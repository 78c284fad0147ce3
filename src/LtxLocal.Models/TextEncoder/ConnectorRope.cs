using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder;

/// <summary>
/// The connector's split RoPE over one position axis (ltx_core precompute_freqs_cis, rope_type "split"):
/// <c>angle[f] = grid[f] * (2 * pos / max_pos - 1)</c> with <c>grid = theta^linspace(0, 1, inner/2) * pi/2</c>
/// (float64 then float32 with frequencies_precision float64, else float32), split into heads; inside a head the first
/// half of the channels rotates with the second half.
/// </summary>
public static class ConnectorRope
{
    /// <summary>cos/sin [1, H, T, head_dim/2] for positions 0..T-1.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(ConnectorConfig config, long tokens, DType dtype, Device device)
    {
        if (config.MaxPos.Length != 1)
            throw new Checkpoints.ModelConfigException($"connector_positional_embedding_max_pos has {config.MaxPos.Length} entries; the connector uses one axis");
        using var scope = TorchRuntime.NewDisposeScope();
        long count = config.InnerDim / 2;
        var grid = FrequencyGrid(config.Theta, count, config.DoublePrecisionRope, device);                 // [F]
        var fraction = Tensor.Arange(0, tokens, 1, DType.Float32, device) / (double)config.MaxPos[0];
        var angles = (fraction * 2.0 - 1.0).Unsqueeze(1) * grid.Unsqueeze(0);                              // [T, F]
        var perHead = angles.Reshape(tokens, config.Heads, -1).Transpose(0, 1).Unsqueeze(0);             // [1, H, T, hd/2]
        return (perHead.Cos().To(dtype).MoveToOuterScope(), perHead.Sin().To(dtype).MoveToOuterScope());
    }

    private static Tensor FrequencyGrid(double theta, long count, bool double64, Device device)
    {
        if (double64)
        {
            // numpy: theta ** linspace(0, 1, n) in float64, times pi/2, then float32.
            var values = new float[count];
            for (long i = 0; i < count; i++)
            {
                double exponent = count == 1 ? 0 : (double)i / (count - 1);
                values[i] = (float)(Math.Pow(theta, exponent) * Math.PI / 2);
            }
            return Tensor.From(values, count).To(device);
        }
        var linear = Tensor.Linspace(0, 1, count, DType.Float32, device);
        return Tensor.Full([count], theta, DType.Float32, device).Pow(linear) * (Math.PI / 2);
    }

    /// <summary>x [B, T, H*hd] rotated per head: out1 = x1 cos - x2 sin, out2 = x2 cos + x1 sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin, long heads)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = x.Size(0), t = x.Size(1);
        var perHead = x.View(b, t, heads, -1).Transpose(1, 2);                                               // [B, H, T, hd]
        long half = perHead.Size(-1) / 2;
        var first = perHead.Narrow(-1, 0, half);
        var second = perHead.Narrow(-1, half, half);
        var rotated = Tensor.Cat([first * cos - second * sin, second * cos + first * sin], -1);
        return rotated.Transpose(1, 2).Reshape(b, t, -1).MoveToOuterScope();
    }
}
