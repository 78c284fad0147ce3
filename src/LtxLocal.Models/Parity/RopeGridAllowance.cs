using System.Text.Json;
using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>
/// How far a RoPE cos/sin table may move when its frequency grid comes from a float32 <c>linspace</c>.
/// </summary>
/// <remarks>
/// Without <c>frequencies_precision: float64</c> the reference forms the grid as <c>theta ** linspace(0, 1, n)</c> in
/// float32 on whatever libtorch it runs on, and libtorch versions round single interior linspace entries differently
/// (2.6 gives 0x3f4ccccd for element 12 of linspace(0, 1, 16) where 1.13 gives 0x3f4ccccc). The angles reach ~1.5e4
/// rad, so that one ulp moves cos/sin by ~1e-3: "the same as the reference" can only mean "the same as the reference
/// on the same libtorch", and the fixtures were made on one. The allowance is the grid's one-ulp sensitivity:
/// for every interior entry f (linspace's endpoints are exact everywhere), |g(l_f ± 1 ulp) − g(l_f)| with
/// g(l) = theta^l·π/2, plus one float32 ulp of the grid value, times the largest |2·mid/max_pos − 1| the case's
/// positions produce, plus one float32 ulp of the largest angle (both sides round it). |Δcos|, |Δsin| ≤ |Δangle|.
/// It applies only to the out.dbg.*pe_cos / pe_sin debug tensors; final outputs keep the case's tolerances.
/// </remarks>
public static class RopeGridAllowance
{
    /// <summary>The allowance for out-tensor <paramref name="name"/> of <paramref name="fixture"/>, or null when none applies.</summary>
    public static double? For(ParityCase fixture, string name)
    {
        if (!name.StartsWith("out.dbg.", StringComparison.Ordinal) || !(name.EndsWith("pe_cos", StringComparison.Ordinal) || name.EndsWith("pe_sin", StringComparison.Ordinal)))
            return null;
        if (!fixture.Json.TryGetProperty("config", out var config) || !config.TryGetProperty("transformer", out var transformer))
            return null;
        if (transformer.TryGetProperty("frequencies_precision", out var precision) && precision.GetString() == "float64")
            return null;
        var parts = name.Split('.');
        if (parts.Length < 4) return null;
        string stream = parts[2];
        bool cross = parts[3].StartsWith("cross_", StringComparison.Ordinal);
        if (!fixture.Has($"in.{stream}.positions")) return null;

        double theta = transformer.TryGetProperty("positional_embedding_theta", out var t) ? t.GetDouble() : 10000.0;
        var videoMax = Numbers(transformer, "positional_embedding_max_pos");
        var audioMax = Numbers(transformer, "audio_positional_embedding_max_pos");
        // The max_pos per axis the table was formed with: the stream's own, or for the audio<->video cross tables
        // the time axis only, over the larger of the two streams' time max_pos.
        double[] maxPositions = cross ? [Math.Max(videoMax.FirstOrDefault(), audioMax.FirstOrDefault())] : stream == "audio" ? audioMax : videoMax;

        using var scope = TorchRuntime.NewDisposeScope();
        var positions = fixture.Tensor($"in.{stream}.positions", Device.Cpu).To(DType.Float64); // [B, axes, T, 2]
        long axes = cross ? 1 : positions.Size(1);
        if (maxPositions.Length < axes || maxPositions.Take((int)axes).Any(m => m <= 0)) return null;
        var middle = (positions.Select(-1, 0) + positions.Select(-1, 1)).Div(2.0); // [B, axes, T]
        double scale = Enumerable.Range(0, (int)axes).Max(a => (middle.Select(1, a).Div(maxPositions[a]) * 2.0 - 1.0).Abs().Amax().Item());

        var expected = fixture.Io.Info(name).Shape;
        long dim = expected.Length == 4 ? 2 * expected[1] * expected[^1] : expected[^1];
        long count = dim / (2 * axes);
        double gridSensitivity = 0;
        for (long f = 1; f < count - 1; f++)
        {
            float l = (float)(f / (count - 1.0));
            double g = Grid(theta, l);
            double step = Math.Max(Math.Abs(Grid(theta, MathF.BitIncrement(l)) - g), Math.Abs(g - Grid(theta, MathF.BitDecrement(l))));
            gridSensitivity = Math.Max(gridSensitivity, step + Ulp(g));
        }
        return gridSensitivity * scale + Ulp(Grid(theta, 1f) * scale);
    }

    private static double Grid(double theta, float exponent) => Math.Pow(theta, exponent) * Math.PI / 2;

    private static double Ulp(double value)
    {
        float f = (float)Math.Abs(value);
        return MathF.BitIncrement(f) - f;
    }

    private static double[] Numbers(JsonElement config, string key) =>
        config.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().Select(e => e.GetDouble())] : [];
}
