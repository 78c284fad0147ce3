using System.Text.Json.Nodes;
using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// Fits a job into the budget (<see cref="IGenerationMemory"/>): the fastest memory plan whose estimated peak fits, at the
/// asked size; only when no plan fits does the resolution step down (aspect kept, short side not below 512), then the
/// duration (to 4 s), each step trying every plan again. A job that fits under no plan even then is refused, saying what
/// would fit. A plan slower than resident is named in the adjustments.
/// </summary>
public sealed class PlanFitter(IGenerationMemory memory, int minShortSide, double minDuration)
{
    public sealed record Fitted(int Width, int Height, double Duration, PlanEstimate Estimate, long? Budget);

    /// <param name="fixedDuration">the frames are the source's (retake, extend): only the resolution may shrink</param>
    public Fitted Fit(string modelId, string pipeline, double fps, bool audio, int multiple, int w, int h, double duration, List<Adjustment> adjustments,
        bool fixedDuration = false)
    {
        GenerationShape Shape(int width, int height, double seconds) => new(modelId, pipeline, width, height, GenerationResolver.FrameCount(seconds, fps), audio);
        var plans = memory.Plans;
        var budget = memory.FreeBytes();
        if (budget is null) return new Fitted(w, h, duration, memory.Estimate(Shape(w, h, duration), plans[0]), null);
        PlanEstimate? Fastest(int width, int height, double seconds) =>
            plans.Select(p => memory.Estimate(Shape(width, height, seconds), p)).FirstOrDefault(e => e.PeakBytes <= budget);

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
        if (chosen is null) throw new InvalidGenerationException(WouldFit(Shape(w, h, duration), budget.Value, plans));

        var resident = memory.Estimate(Shape(startW, startH, startDuration), plans[0]);
        var why = $"no memory plan's estimated peak fits {memory.BudgetName} ({ByteSize.Gib(budget.Value)}) at the asked size " +
            $"(the fastest, {plans[0].Name}, needs {ByteSize.Gib(resident.PeakBytes)})";
        if ((w, h) != (startW, startH)) adjustments.Add(new("resolution", Res(startW, startH), Res(w, h), why));
        if (duration != startDuration) adjustments.Add(new("duration", JsonValue.Create(startDuration), JsonValue.Create(duration), why));
        if (chosen.Plan.SlowerThanResident)
            adjustments.Add(new("memory_plan", JsonValue.Create(MemoryPlan.Resident.Name), JsonValue.Create(chosen.Plan.Name),
                $"the resident plan's estimated peak ({ByteSize.Gib(memory.Estimate(Shape(w, h, duration), MemoryPlan.Resident).PeakBytes)}) exceeds " +
                $"{memory.BudgetName} ({ByteSize.Gib(budget.Value)}); {chosen.Plan.Name} fits in {ByteSize.Gib(chosen.PeakBytes)} and runs slower"));
        return new Fitted(w, h, duration, chosen, budget);
    }

    /// <summary>The refusal: the smallest size tried, the plan with the lowest peak there, and the budget that would take it.</summary>
    private string WouldFit(GenerationShape smallest, long budget, IReadOnlyList<MemoryPlan> plans)
    {
        var least = plans.Select(p => memory.Estimate(smallest, p)).MinBy(e => e.PeakBytes)!;
        return $"this job does not fit {memory.BudgetName} ({ByteSize.Gib(budget)}) under any memory plan, even at " +
            $"{smallest.Width}x{smallest.Height} and {smallest.NumFrames} frames: the least it needs is {ByteSize.Gib(least.PeakBytes)} " +
            $"with the {least.Plan.Name} plan; a budget of at least {ByteSize.Gib(least.PeakBytes)} (or a device with that much free) would fit it";
    }

    private static JsonNode Res(int w, int h) => JsonValue.Create($"{w}x{h}");
    private static int Floor(double value, int multiple) => Math.Max(multiple, (int)(value / multiple) * multiple);
}
