using System.Text.Json.Nodes;
using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// Fits a job into the budget (<see cref="IGenerationMemory"/>): the fastest memory plan whose estimated device peak fits
/// the device budget and whose host memory (pinned streamed blocks, a text encoder on the CPU) fits the host budget, at
/// the asked size; only when no plan fits does the resolution step down (aspect kept, short side not below 512), then
/// the duration (to 4 s), each step trying every plan again. A job that fits under no plan even then is refused, saying
/// which memory failed and what would fit. A plan slower than resident is named in the adjustments, with why the faster
/// ones were passed over.
/// </summary>
public sealed class PlanFitter(IGenerationMemory memory, int minShortSide, double minDuration)
{
    public sealed record Fitted(int Width, int Height, double Duration, PlanEstimate Estimate, long? Budget);

    private long? _budget, _hostBudget;

    /// <param name="fixedDuration">the frames are the source's (retake, extend): only the resolution may shrink</param>
    public Fitted Fit(string modelId, string pipeline, double fps, bool audio, int multiple, int w, int h, double duration, List<Adjustment> adjustments,
        bool fixedDuration = false)
    {
        GenerationShape Shape(int width, int height, double seconds) => new(modelId, pipeline, width, height, GenerationResolver.FrameCount(seconds, fps), audio);
        var plans = memory.Plans;
        (_budget, _hostBudget) = (memory.FreeBytes(), memory.HostFreeBytes());
        if (_budget is null && _hostBudget is null) return new Fitted(w, h, duration, memory.Estimate(Shape(w, h, duration), plans[0]), null);
        PlanEstimate? Fastest(int width, int height, double seconds) =>
            plans.Select(p => memory.Estimate(Shape(width, height, seconds), p)).FirstOrDefault(e => DeviceFits(e) && HostFits(e));

        var (startW, startH, startDuration) = (w, h, duration);
        var chosen = Fastest(w, h, duration);
        var floor = Math.Min(minShortSide, Math.Min(w, h));
        while (chosen is null)
        {
            var (nw, nh) = (Floor(w * 0.9, multiple), Floor(h * 0.9, multiple));
            if (Math.Min(nw, nh) < floor || (nw, nh) == (w, h)) break;
            (w, h) = (nw, nh);
            chosen = Fastest(w, h, duration);
        }
        while (chosen is null && duration > minDuration && !fixedDuration)
        {
            duration = Math.Max(minDuration, Math.Ceiling(duration) - 1);
            chosen = Fastest(w, h, duration);
        }
        if (chosen is null) throw new InvalidGenerationException(WouldFit(Shape(w, h, duration), plans));

        if ((w, h, duration) != (startW, startH, startDuration))
        {
            var why = ShrinkReason(plans.Select(p => memory.Estimate(Shape(startW, startH, startDuration), p)).ToList());
            if ((w, h) != (startW, startH)) adjustments.Add(new("resolution", Res(startW, startH), Res(w, h), why));
            if (duration != startDuration) adjustments.Add(new("duration", JsonValue.Create(startDuration), JsonValue.Create(duration), why));
        }
        if (chosen.Plan.SlowerThanResident)
            adjustments.Add(new("memory_plan", JsonValue.Create(MemoryPlan.Resident.Name), JsonValue.Create(chosen.Plan.Name), PlanReason(Shape(w, h, duration), chosen, plans)));
        return new Fitted(w, h, duration, chosen, _budget);
    }

    private bool DeviceFits(PlanEstimate e) => _budget is not { } budget || e.PeakBytes <= budget;
    private bool HostFits(PlanEstimate e) => _hostBudget is not { } host || e.HostBytes <= host;

    private string Budgets() => string.Join(" and ", new[]
    {
        _budget is { } b ? $"{memory.BudgetName} ({ByteSize.Gib(b)})" : null,
        _hostBudget is { } hb ? $"host memory of {ByteSize.Gib(hb)} ({memory.HostBudgetName})" : null,
    }.OfType<string>());

    private string HostHas => $"the host has {ByteSize.Gib(_hostBudget!.Value)} available ({memory.HostBudgetName})";

    /// <summary>Why the size stepped down, from every plan's estimate at the asked size (fastest first); host memory is named only where it passed a plan over.</summary>
    private string ShrinkReason(List<PlanEstimate> asked)
    {
        var fastest = asked[0];
        return asked.Any(e => DeviceFits(e) && !HostFits(e))
            ? $"no memory plan fits {Budgets()} at the asked size (the fastest, {fastest.Plan.Name}, needs {ByteSize.Gib(fastest.PeakBytes)} " +
              $"on the device and {ByteSize.Gib(fastest.HostBytes)} of host memory)"
            : $"no memory plan's estimated peak fits {memory.BudgetName} ({ByteSize.Gib(_budget!.Value)}) at the asked size " +
              $"(the fastest, {fastest.Plan.Name}, needs {ByteSize.Gib(fastest.PeakBytes)})";
    }

    /// <summary>Why the chosen plan and not a faster one: the resident peak over the device budget, and the faster plans passed over only for host memory.</summary>
    private string PlanReason(GenerationShape shape, PlanEstimate chosen, IReadOnlyList<MemoryPlan> plans)
    {
        var reasons = new List<string>();
        var resident = memory.Estimate(shape, MemoryPlan.Resident);
        if (!DeviceFits(resident))
            reasons.Add($"the resident plan's estimated peak ({ByteSize.Gib(resident.PeakBytes)}) exceeds {memory.BudgetName} ({ByteSize.Gib(_budget!.Value)})");
        var hostOnly = plans.TakeWhile(p => p != chosen.Plan).Select(p => memory.Estimate(shape, p)).Where(e => DeviceFits(e) && !HostFits(e)).ToList();
        if (hostOnly.Count > 0)
            reasons.Add($"{string.Join(", ", hostOnly.Select(e => $"{e.Plan.Name} needs {ByteSize.Gib(e.HostBytes)}"))} of host memory and {HostHas}");
        if (reasons.Count == 0) reasons.Add("no faster allowed plan fits");
        return $"{string.Join("; ", reasons)}; {chosen.Plan.Name} fits in {ByteSize.Gib(chosen.PeakBytes)}" +
            (_hostBudget is null ? "" : $" with {ByteSize.Gib(chosen.HostBytes)} of host memory") + " and runs slower";
    }

    /// <summary>
    /// The refusal at the smallest size tried. When some plan fits the device, host memory is what failed: the least host
    /// memory such a plan needs. Otherwise the plan with the lowest peak among those whose host memory fits, and the
    /// device budget that would take it.
    /// </summary>
    private string WouldFit(GenerationShape smallest, IReadOnlyList<MemoryPlan> plans)
    {
        var estimates = plans.Select(p => memory.Estimate(smallest, p)).ToList();
        var at = $"even at {smallest.Width}x{smallest.Height} and {smallest.NumFrames} frames";
        var onDevice = estimates.Where(DeviceFits).ToList();
        if (onDevice.Count > 0)
        {
            var leastHost = onDevice.MinBy(e => e.HostBytes)!;
            var fitsDevice = _budget is { } b ? $" that fits {memory.BudgetName} ({ByteSize.Gib(b)})" : "";
            var instead = estimates.Where(HostFits).MinBy(e => e.PeakBytes) is { } hostFits
                ? $"; or, within this host memory, a device budget of at least {ByteSize.Gib(hostFits.PeakBytes)} with the {hostFits.Plan.Name} plan"
                : "";
            return $"this job does not fit the host memory under any memory plan{fitsDevice}, {at}: the least host memory such a plan needs is " +
                $"{ByteSize.Gib(leastHost.HostBytes)} with the {leastHost.Plan.Name} plan, and {HostHas}; a host with at least " +
                $"{ByteSize.Gib(leastHost.HostBytes)} available (or --host-memory-limit that high) would fit it{instead}";
        }
        var least = (estimates.Where(HostFits).ToList() is { Count: > 0 } withinHost ? withinHost : estimates).MinBy(e => e.PeakBytes)!;
        var host = HostFits(least) ? "" : $"; it also needs {ByteSize.Gib(least.HostBytes)} of host memory and {HostHas}";
        return $"this job does not fit {memory.BudgetName} ({ByteSize.Gib(_budget!.Value)}) under any memory plan, {at}: the least it needs is " +
            $"{ByteSize.Gib(least.PeakBytes)} with the {least.Plan.Name} plan; a budget of at least {ByteSize.Gib(least.PeakBytes)} (or a device with that much free) would fit it{host}";
    }

    private static JsonNode Res(int w, int h) => JsonValue.Create($"{w}x{h}");
    private static int Floor(double value, int multiple) => Math.Max(multiple, (int)(value / multiple) * multiple);
}
