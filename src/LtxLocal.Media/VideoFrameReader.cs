using System.Globalization;

namespace LtxLocal.Media;

/// <summary>
/// Reads the frames of a video file's first video stream as RGB24 at a given size and frame rate (ffmpeg: resampled to
/// <c>fps</c>, scaled to cover the size and centre-cropped, as conditioning images are), from a first frame for at most
/// a frame count. Retake and extend encode these with the video VAE and splice the source's frames around new ones.
/// </summary>
public sealed class VideoFrameReader(FfmpegTools tools)
{
    public async Task<IReadOnlyList<byte[]>> ReadAsync(string path, int width, int height, double fps, int firstFrame, int maxFrames,
        CancellationToken cancellationToken)
    {
        if (width <= 0 || height <= 0 || fps <= 0 || firstFrame < 0 || maxFrames <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxFrames), "the size, rate and frame window must be positive");
        var rate = fps.ToString("R", CultureInfo.InvariantCulture);
        var filter = $"fps={rate},scale={width}:{height}:force_original_aspect_ratio=increase:flags=bicubic,crop={width}:{height}," +
            $"trim=start_frame={firstFrame}:end_frame={firstFrame + maxFrames},setpts=PTS-STARTPTS";
        var run = await ProcessRunner.RunAsync(tools.Ffmpeg,
        [
            "-v", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filter,
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ], null, cancellationToken);
        if (run.ExitCode != 0) throw new MediaException($"the source video could not be decoded: {ProcessRunner.Tail(run.Stderr, 2)}");
        int frameBytes = width * height * 3, count = run.Stdout.Length / frameBytes;
        var frames = new List<byte[]>(count);
        for (int f = 0; f < count; f++) frames.Add(run.Stdout.AsSpan(f * frameBytes, frameBytes).ToArray());
        return frames;
    }
}
