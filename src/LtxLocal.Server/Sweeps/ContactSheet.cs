using System.Globalization;
using LtxLocal.Media;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The sweep's contact sheet, drawn by ffmpeg's <c>tile</c> filter: one row per cell in grid order, its first, middle and
/// last frame side by side (<c>tile=3x1</c>), then the rows stacked (<c>tile=1xN</c>). Every frame is scaled to one tile
/// size taken from the reference cell: s = min(1, <see cref="MaxTileSide"/> / max(W, H)), tile = even(W·s) × even(H·s).
/// With <see cref="Padding"/> pixels between tiles the sheet is (3·tw + 2·p) × (N·th + (N−1)·p). A cell without a video
/// (queued, failed, cancelled) gets a dark row, so row k is always cell k.
/// </summary>
public sealed class ContactSheet(FfmpegTools ffmpeg)
{
    public const int MaxTileSide = 256, Padding = 2, Columns = 3;

    /// <summary>The tile size for frames of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static (int Width, int Height) Tile(int width, int height)
    {
        var scale = Math.Min(1.0, MaxTileSide / (double)Math.Max(width, height));
        static int Even(double v) => Math.Max(2, 2 * (int)Math.Round(v / 2, MidpointRounding.AwayFromZero));
        return (Even(width * scale), Even(height * scale));
    }

    /// <summary>The sheet's pixel size for <paramref name="rows"/> cells and the given tile.</summary>
    public static (int Width, int Height) Size(int rows, (int Width, int Height) tile) =>
        (Columns * tile.Width + (Columns - 1) * Padding, rows * tile.Height + (rows - 1) * Padding);

    /// <summary>Writes the sheet to <paramref name="output"/>; <paramref name="cells"/> lists each cell's video (null: none) and frame count.</summary>
    public async Task DrawAsync(IReadOnlyList<(string? Video, int Frames)> cells, (int Width, int Height) tile, string output, CancellationToken token)
    {
        var work = Directory.CreateTempSubdirectory("ltx-sheet-").FullName;
        try
        {
            for (var i = 0; i < cells.Count; i++)
            {
                var row = Path.Combine(work, $"row_{i:D4}.png");
                var (video, frames) = cells[i];
                if (video is not null && File.Exists(video) && frames > 0)
                {
                    int last = frames - 1, middle = last / 2;
                    var pick = $"select='eq(n\\,0)+eq(n\\,{middle})+eq(n\\,{last})',scale={tile.Width}:{tile.Height},setsar=1," +
                               $"tile={Columns}x1:padding={Padding}";
                    await RunAsync(["-i", video, "-an", "-vf", pick, "-fps_mode", "passthrough", "-frames:v", "1", row], token);
                }
                else
                {
                    var width = Columns * tile.Width + (Columns - 1) * Padding;
                    await RunAsync(["-f", "lavfi", "-i", $"color=c=0x202020:s={width}x{tile.Height}:d=1", "-frames:v", "1", row], token);
                }
            }
            var partial = output + ".partial.png";
            await RunAsync(["-framerate", "1", "-start_number", "0", "-i", Path.Combine(work, "row_%04d.png"),
                "-vf", $"tile=1x{cells.Count.ToString(CultureInfo.InvariantCulture)}:padding={Padding}", "-frames:v", "1", partial], token);
            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task RunAsync(IEnumerable<string> arguments, CancellationToken token)
    {
        var result = await ProcessRunner.RunAsync(ffmpeg.Ffmpeg, ["-hide_banner", "-nostdin", "-v", "error", "-y", .. arguments], null, token);
        if (result.ExitCode != 0) throw new MediaException($"ffmpeg could not draw the contact sheet: {ProcessRunner.Tail(result.Stderr)}");
    }
}
