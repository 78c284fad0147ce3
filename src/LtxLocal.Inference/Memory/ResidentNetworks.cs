namespace LtxLocal.Inference.Memory;

/// <summary>
/// The networks a worker keeps loaded between jobs whatever the job's memory plan (<c>Ltx:KeepResident</c>,
/// <c>--keep-resident</c>): a sequential or streamed plan then loads them once instead of per phase. The estimator counts
/// them on the device in every phase, so the planner fits jobs around them. Empty (the default): sequential and streamed
/// plans keep nothing.
/// </summary>
public sealed record ResidentNetworks(IReadOnlySet<string> Networks)
{
    public const string TextEncoder = "text_encoder", Transformer = "transformer", VideoEncoder = "video_encoder", VideoDecoder = "video_decoder",
        AudioDecoder = "audio_decoder", Upsampler = "upsampler";

    /// <summary>Every network a model's plan places, by the names the ledger uses.</summary>
    public static IReadOnlyList<string> Names { get; } = [TextEncoder, Transformer, VideoEncoder, VideoDecoder, AudioDecoder, Upsampler];

    public static ResidentNetworks None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public bool Keeps(string network) => Networks.Contains(network);

    public override string ToString() => Networks.Count == 0 ? "none" : string.Join(",", Names.Where(Keeps));

    /// <summary>A comma-separated list of network names; empty or "none" keeps nothing.</summary>
    public static bool TryParse(string? text, out ResidentNetworks networks, out string error)
    {
        (networks, error) = (None, "");
        var names = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names is ["none"]) return true;
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
            if (!Names.Contains(name) || !set.Add(name))
            {
                error = $"'{name}' is not a network or is named twice; networks are {string.Join(", ", Names)} (or none)";
                return false;
            }
        networks = new ResidentNetworks(set);
        return true;
    }

    public static ResidentNetworks Parse(string? text) => TryParse(text, out var networks, out var error) ? networks : throw new FormatException(error);
}
