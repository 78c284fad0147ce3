namespace LtxLocal.Inference.Memory;

/// <summary>
/// A statement of where every network's weights live in each phase of a job: the placement (resident, sequential,
/// streamed) plus two orthogonal options: the transformer's block projections stored in fp8 e4m3 and upcast per layer
/// (fp8-cast), and the text encoder run on the CPU. Written and parsed as <c>placement[+fp8][+text-cpu]</c>.
/// </summary>
public sealed record MemoryPlan(WeightPlacement Placement, bool Fp8 = false, bool TextEncoderOnCpu = false)
{
    public const string Fp8Suffix = "+fp8", TextOnCpuSuffix = "+text-cpu";

    public static readonly MemoryPlan Resident = new(WeightPlacement.Resident);

    /// <summary>Transformer blocks on the compute device at once under <see cref="WeightPlacement.Streamed"/>: the one computing and the next.</summary>
    public const int StreamWindow = 2;

    /// <summary>
    /// Every plan, fastest first: exact weights before fp8 at the same placement cost, whole networks before streamed
    /// blocks (LTX-Desktop also prefers an fp8 resident transformer to streaming), the text encoder on the CPU last (it
    /// turns a second of text encoding into tens).
    /// </summary>
    public static IReadOnlyList<MemoryPlan> FastestFirst { get; } =
    [
        .. Order(textOnCpu: false), .. Order(textOnCpu: true),
    ];

    private static IEnumerable<MemoryPlan> Order(bool textOnCpu) =>
    [
        new(WeightPlacement.Resident, false, textOnCpu), new(WeightPlacement.Sequential, false, textOnCpu),
        new(WeightPlacement.Resident, true, textOnCpu), new(WeightPlacement.Sequential, true, textOnCpu),
        new(WeightPlacement.Streamed, false, textOnCpu), new(WeightPlacement.Streamed, true, textOnCpu),
    ];

    public string Name => Placement.ToString().ToLowerInvariant() + (Fp8 ? Fp8Suffix : "") + (TextEncoderOnCpu ? TextOnCpuSuffix : "");

    /// <summary>0 for resident; higher is slower.</summary>
    public int SpeedRank
    {
        get
        {
            for (int i = 0; i < FastestFirst.Count; i++)
                if (FastestFirst[i] == this) return i;
            throw new InvalidOperationException($"plan {Name} is not listed");
        }
    }

    public bool SlowerThanResident => this != Resident;

    public override string ToString() => Name;

    /// <summary>Reads <c>placement[+fp8][+text-cpu]</c> (options in any order); false with the reason otherwise.</summary>
    public static bool TryParse(string? text, out MemoryPlan plan, out string error)
    {
        plan = Resident;
        error = "";
        var parts = (text ?? "").Trim().ToLowerInvariant().Split('+');
        if (!Enum.TryParse<WeightPlacement>(parts[0], ignoreCase: true, out var placement) || !Enum.IsDefined(placement) || parts[0].Any(char.IsDigit))
        {
            error = $"'{text}' is not a memory plan; plans are {Names}";
            return false;
        }
        bool fp8 = false, textOnCpu = false;
        foreach (var option in parts.Skip(1))
        {
            if (option == Fp8Suffix[1..] && !fp8) fp8 = true;
            else if (option == TextOnCpuSuffix[1..] && !textOnCpu) textOnCpu = true;
            else
            {
                error = $"'{text}' is not a memory plan: unknown or repeated option '{option}' (options are {Fp8Suffix} and {TextOnCpuSuffix}); plans are {Names}";
                return false;
            }
        }
        plan = new MemoryPlan(placement, fp8, textOnCpu);
        if (!FastestFirst.Contains(plan))
        {
            error = $"'{text}': the {parts[0]} placement is not available in this build; plans are {Names}";
            return false;
        }
        return true;
    }

    public static MemoryPlan Parse(string text) => TryParse(text, out var plan, out var error) ? plan : throw new FormatException(error);

    private static string Names =>
        string.Join(", ", FastestFirst.Select(p => p.Placement.ToString().ToLowerInvariant()).Distinct()) + ", each optionally with +fp8 and/or +text-cpu";
}
