using System.Globalization;
using System.Net;
using System.Text;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The report: one self-contained HTML page (inline CSS and SVG charts; no script, font or stylesheet from anywhere) with
/// the contact sheet (referenced relatively, <c>contact-sheet.png</c> under the sweep's own routes, so it needs the same
/// key), the charts, the table and what each number means.
/// </summary>
public static class SweepReportPage
{
    /// <summary>The page's Content-Security-Policy: nothing but its own inline styles and the sweep's images.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    public static string Render(SweepResponse sweep, (int Width, int Height) sheet)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep ").Append(E(sweep.Id)).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:13px}")
            .Append("th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td.l{text-align:left}")
            .Append("tr.ref{background:#fff7d6}.charts{display:flex;flex-wrap:wrap;gap:1em}dt{font-weight:bold}dd{margin:0 0 .5em 1em}")
            .Append("</style></head><body>\n");
        html.Append("<h1>Sweep ").Append(E(sweep.Id)).Append("</h1>\n<p>").Append(E(sweep.Kind)).Append(", ").Append(sweep.CellCount)
            .Append(" cells, state <b>").Append(E(sweep.Status)).Append("</b>; axes: ")
            .Append(E(string.Join("; ", sweep.Axes.Select(a => $"{a.Key} = {a.Value!.ToJsonString()}"))))
            .Append("; reference cell ").Append(sweep.ReferenceCell).Append(sweep.ReferenceGiven ? " (chosen by the request)" : " (most steps, then highest CFG)")
            .Append(".</p>\n");

        html.Append("<h2>Contact sheet</h2>\n<p>Row <i>k</i> is cell <i>k</i>: its first, middle and last frame.</p>\n")
            .Append("<img id=\"contact-sheet\" src=\"contact-sheet.png\" alt=\"contact sheet\" width=\"").Append(sheet.Width)
            .Append("\" height=\"").Append(sheet.Height).Append("\">\n<ol start=\"0\">");
        foreach (var cell in sweep.Cells) html.Append("<li>").Append(E(Values(cell))).Append(cell.Reference ? " (reference)" : "").Append("</li>");
        html.Append("</ol>\n");

        html.Append("<h2>Charts</h2>\n<div class=\"charts\">").Append(SweepCharts.SecondsPerStep(sweep)).Append(SweepCharts.SsimVsSteps(sweep)).Append("</div>\n");

        html.Append("<h2>Cells</h2>\n<table><tr><th>cell</th><th>values</th><th>status</th><th>steps</th><th>CFG</th><th>s/step</th>")
            .Append("<th>text s</th><th>denoise s</th><th>decode s</th><th>mux s</th><th>total s</th><th>peak ledger MiB</th><th>peak allocator MiB</th>")
            .Append("<th>bytes</th><th>SSIM</th><th>PSNR dB</th><th>flicker</th><th>flicker ratio</th><th>LUFS</th><th class=\"l\">note</th></tr>\n");
        foreach (var c in sweep.Cells)
        {
            var q = c.Quality;
            html.Append(c.Reference ? "<tr class=\"ref\">" : "<tr>");
            Cells(html, N(c.Index), Values(c), c.Status, N(c.Parameters?.Steps), N(c.Parameters?.GuidanceScale, 2), N(c.SecondsPerStep, 4),
                T(c, "text"), T(c, "denoise"), T(c, "decode"), T(c, "mux"), T(c, "total"), Mib(c.PeakMemory?.LedgerBytes), Mib(c.PeakMemory?.AllocatorBytes),
                N(c.OutputBytes), N(q?.Ssim, 4), q is null ? "" : q.PsnrInfinite ? "∞ (identical)" : N(q.Psnr, 2), N(q?.Flicker, 3),
                N(q?.FlickerRatio, 3), N(q?.LoudnessLufs, 1), c.Error?.Message ?? c.QualityNote ?? "");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n<h2>What the numbers are</h2>\n<dl>");
        foreach (var (name, meaning) in sweep.Legend) html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(meaning)).Append("</dd>");
        html.Append("</dl>\n</body></html>\n");
        return html.ToString();
    }

    private static void Cells(StringBuilder html, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
            html.Append(i == 1 || i == values.Length - 1 ? "<td class=\"l\">" : "<td>").Append(E(values[i])).Append("</td>");
    }

    private static string Values(SweepCellView cell) => string.Join(", ", cell.Values.Select(v => $"{v.Key}={SweepAxes.Text(v.Value)}"));
    private static string T(SweepCellView cell, string stage) => cell.Timings is { } t && t.TryGetValue(stage, out var s) ? N(s, 3) : "";
    private static string Mib(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "";
    private static string N(double? value, int digits) => value?.ToString("F" + digits, CultureInfo.InvariantCulture) ?? "";
    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string E(string text) => WebUtility.HtmlEncode(text);
}
