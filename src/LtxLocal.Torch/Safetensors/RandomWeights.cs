namespace LtxLocal.Torch.Safetensors;

/// <summary>
/// Values for a header-only .safetensors file (its data section a sparse hole, written from meta tensors) whose
/// <c>__metadata__</c> carries <see cref="MetadataKey"/>: each tensor is drawn when loaded, on the device it is loaded
/// to, so a full-size model with random weights (benchmarks at the released sizes) never exists on disk or on the host.
/// Values by role, as the tiny model draws them: biases, scalars and statistic means 0; statistic deviations and other
/// vectors (norm scales) 1; matrices and kernels N(0, 1/fan_in). Each tensor's values depend on the seed and its name only.
/// </summary>
public sealed class RandomWeights(ulong seed)
{
    /// <summary>The metadata key (value: the seed) that marks a file's values as drawn on load.</summary>
    public const string MetadataKey = "ltx_local.random_weights";

    /// <summary>The marker of a file drawn with <paramref name="seed"/>, to add to its metadata.</summary>
    public static KeyValuePair<string, string> Marker(ulong seed) => new(MetadataKey, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The drawer a file's metadata asks for, or null for a file with stored values.</summary>
    public static RandomWeights? From(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(MetadataKey, out var text) && ulong.TryParse(text, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var seed) ? new RandomWeights(seed) : null;

    public ulong Seed { get; } = seed;

    /// <summary>The tensor <paramref name="name"/> of <paramref name="shape"/>, drawn on <paramref name="device"/> as <paramref name="dtype"/>.</summary>
    public Tensor Draw(string name, long[] shape, DType dtype, Device device)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        // Drawn in a floating type the generator fills directly (bf16 for float8 targets), then cast.
        var drawType = dtype is DType.Float32 or DType.BFloat16 or DType.Float16 or DType.Float64 ? dtype : DType.BFloat16;
        Tensor value;
        if (name.EndsWith("mean-of-means", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal) || shape.Length == 0)
            value = Tensor.Zeros(shape, drawType, device);
        else if (shape.Length == 1)
            value = Tensor.Full(shape, 1, drawType, device);
        else
        {
            using var generator = new Generator(Seed ^ NameHash(name), device);
            long fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            value = Tensor.Randn(shape, generator, drawType, device).Mul_(1.0 / Math.Sqrt(fanIn));
        }
        return scope.MoveToOuter(value.DType == dtype ? value : value.To(device, dtype));
    }

    // FNV-1a of the name: stable across processes (string.GetHashCode is randomised per process).
    private static ulong NameHash(string name)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in name) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}
