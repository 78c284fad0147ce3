using System.Globalization;
using System.Text;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The sweep's table as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled):
/// a header, then one row per cell in grid order; the axis columns come first, named after the axes.
/// </summary>
public static class SweepCsv
{
    private static readonly string[] Stages = ["text", "denoise", "upsample", "denoise_stage2", "decode", "audio", "mux", "total"];

    public static string Write(SweepResponse sweep)
    {
        var axes = sweep.Axes.Select(a => a.Key).ToList();
        var header = new List<string> { "cell", "job_id", "status", "reference" };
        header.AddRange(axes);
        header.AddRange(["pipeline", "steps", "guidance_scale", "stg_scale", "seed", "width", "height", "num_frames"]);
        header.AddRange(Stages.Select(s => $"seconds_{s}"));
        header.AddRange(["seconds_per_step", "peak_ledger_bytes", "peak_allocator_bytes", "output_bytes",
            "ssim", "psnr", "psnr_infinite", "flicker", "flicker_ratio", "loudness_lufs", "error"]);
        var text = new StringBuilder();
        Line(text, header);
        foreach (var c in sweep.Cells)
        {
            var p = c.Parameters;
            var q = c.Quality;
            var row = new List<string?> { N(c.Index), c.JobId, c.Status, c.Reference ? "true" : "false" };
            row.AddRange(axes.Select(a => SweepAxes.Text(c.Values[a])));
            row.AddRange([p?.Pipeline, N(p?.Steps), N(p?.GuidanceScale), N(p?.StgScale), N(p?.Seed), N(p?.Width), N(p?.Height), N(p?.NumFrames)]);
            row.AddRange(Stages.Select(s => c.Timings is { } t && t.TryGetValue(s, out var v) ? N(v) : null));
            row.AddRange([N(c.SecondsPerStep), N(c.PeakMemory?.LedgerBytes), N(c.PeakMemory?.AllocatorBytes), N(c.OutputBytes),
                N(q?.Ssim), N(q?.Psnr), q is null ? null : q.PsnrInfinite ? "true" : "false", N(q?.Flicker), N(q?.FlickerRatio), N(q?.LoudnessLufs),
                c.Error?.Message]);
            Line(text, row);
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, IEnumerable<string?> fields)
    {
        text.AppendJoin(',', fields.Select(Quote));
        text.Append("\r\n");
    }

    private static string Quote(string? field) =>
        field is null ? "" : field.IndexOfAny([',', '"', '\r', '\n']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    private static string? N(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
    private static string? N(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
