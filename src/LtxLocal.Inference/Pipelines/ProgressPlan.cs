namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// Overall progress of one generation as a fraction that only moves forward: the run is a list of parts (text encoding,
/// each denoising stage, upsampling, decoding), each weighted by its share of the work, reported in order. The fraction
/// is the finished parts' weight plus the running part's share, and never goes back. Denoising steps are counted across
/// its stages (step 9 of 11 is stage 2's first), so the reported step/total_steps say how many steps ran. The server
/// keeps the last <see cref="MuxShare"/> for muxing.
/// </summary>
public sealed class ProgressPlan(IProgress<GenerationProgress> sink)
{
    /// <summary>What is left for the server's muxing after the generator's last report.</summary>
    public const double MuxShare = 0.02;

    private readonly List<Part> _parts = [];
    private int _current = -1;
    private double _reported;

    private sealed record Part(string Stage, double Weight, int Offset, int Steps);

    /// <summary>Adds a part; parts run in the order they were added.</summary>
    public ProgressPlan Add(string stage, double weight) => Add(stage, weight, 0);

    /// <summary>Adds a part of <paramref name="steps"/> steps, counted on from the earlier parts of the same stage.</summary>
    public ProgressPlan Add(string stage, double weight, int steps)
    {
        int offset = _parts.Where(p => p.Stage == stage).Sum(p => p.Steps);
        _parts.Add(new Part(stage, Math.Max(weight, 0), offset, steps));
        return this;
    }

    /// <summary>Every step of <paramref name="stage"/> in the plan (the denoising steps of all stages together).</summary>
    public int StepsOf(string stage) => _parts.Where(p => p.Stage == stage).Sum(p => p.Steps);

    /// <summary>The summed weight of the parts of <paramref name="stage"/>.</summary>
    public double WeightOf(string stage) => _parts.Where(p => p.Stage == stage).Sum(p => p.Weight);

    /// <summary>
    /// Reports <paramref name="step"/> of <paramref name="total"/>: within the current part when it has that stage, else
    /// the next part that has. A counted part passes on to the next one of its stage once its steps are done.
    /// </summary>
    public void Report(string stage, int step, int total)
    {
        int start = Math.Max(_current, 0);
        int index = _parts.FindIndex(start, p => p.Stage == stage && (p.Steps == 0 || step <= p.Offset + p.Steps || IsLastOf(p)));
        if (index < 0) throw new InvalidOperationException($"progress stage '{stage}' (step {step}) is not part of this run's plan");
        _current = index;
        var part = _parts[index];
        double within = part.Steps > 0 ? (step - part.Offset) / (double)part.Steps : total <= 0 ? 0 : step / (double)total;
        double all = _parts.Sum(p => p.Weight);
        double done = _parts.Take(index).Sum(p => p.Weight);
        double fraction = all <= 0 ? 0 : (done + Math.Clamp(within, 0, 1) * part.Weight) / all * (1 - MuxShare);
        _reported = Math.Max(_reported, fraction);
        sink.Report(new GenerationProgress(stage, step, total, _reported));
    }

    private bool IsLastOf(Part part) => _parts.FindLastIndex(p => p.Stage == part.Stage) == _parts.IndexOf(part);
}
