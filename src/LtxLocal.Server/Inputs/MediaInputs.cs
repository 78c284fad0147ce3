using LtxLocal.Media;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// The media a request starts from: an uploaded file, or a URI (http(s) URL or base64 data URI), at most
/// Ltx:MaxBodyBytes. A soundtrack is decoded once (<see cref="AudioFileDecoder"/>) to prove it is whole, supported
/// audio and to learn its length; a source video's limits (size, duration, frame count) are read from its container
/// before anything is decoded, then its frames are counted by decoding once (a corrupt stream is refused here, not in
/// the worker). Every refusal is a 400 naming the field; the temporary copy is always removed.
/// </summary>
public sealed class MediaInputs(FfmpegTools ffmpeg, UrlPolicy policy, OutboundHttp http, IOptions<ServerOptions> options)
{
    /// <summary>The largest source video side, before snapping and scaling into the output maximum.</summary>
    public const int MaxSourceSide = 4096;

    /// <summary>The longest source video a retake or an extension reads, in seconds.</summary>
    public const double MaxSourceSeconds = 60;

    private long MaxBytes => options.Value.MaxBodyBytes;

    /// <summary>Exactly one of the upload <paramref name="file"/> and <paramref name="uri"/>, as bytes.</summary>
    public async Task<byte[]> BytesAsync(IFormFile? file, string? uri, string name, CancellationToken token)
    {
        if (file is not null && uri is not null) throw ApiException.BadRequest($"give either a '{name}' file or '{name}_uri', not both");
        if (file is not null)
        {
            if (file.Length > MaxBytes) throw ApiException.BadRequest($"'{name}' is {file.Length} bytes; the limit is {MaxBytes}");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, token);
            return buffer.ToArray();
        }
        if (uri is null) throw ApiException.BadRequest($"a '{name}' is required: '{name}_uri' (http(s) URL or data:{name}/...;base64 URI) or a multipart file '{name}'");
        var field = name + "_uri";
        if (uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return FromDataUri(uri, field);
        try
        {
            return await http.FetchAsync(policy.CheckUrl(uri, field), MaxBytes, token);
        }
        catch (FetchException e)
        {
            throw ApiException.BadRequest($"'{field}' could not be fetched: {e.Message}");
        }
    }

    public async Task<SourceAudio> AudioAsync(byte[] data, string field, CancellationToken token)
    {
        try
        {
            var decoded = await new AudioFileDecoder(ffmpeg, new AudioLimits(MaxBytes)).DecodeAsync(data, cancellationToken: token);
            return new SourceAudio(data, decoded.DurationSeconds);
        }
        catch (AudioRejectedException e)
        {
            throw ApiException.BadRequest($"'{field}': {e.Message}");
        }
    }

    public async Task<SourceVideo> VideoAsync(byte[] data, string field, CancellationToken token)
    {
        if (data.Length == 0) throw ApiException.BadRequest($"'{field}': the file is empty");
        var path = Path.Combine(Path.GetTempPath(), $"ltx-source-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, data, token);
        try
        {
            var probe = new MediaProbe(ffmpeg);
            var header = await ProbeAsync(probe, path, countFrames: false, field, token);
            var stream = header.Video ?? throw ApiException.BadRequest($"'{field}': the file has no video stream");
            if (stream.Width <= 0 || stream.Height <= 0 || !(stream.FrameRate > 0))
                throw ApiException.BadRequest($"'{field}': the video stream has no readable size or frame rate");
            if (stream.Width > MaxSourceSide || stream.Height > MaxSourceSide)
                throw ApiException.BadRequest($"'{field}' is {stream.Width}x{stream.Height}; the largest source side is {MaxSourceSide}");
            var declared = stream.Frames ?? (long)Math.Round(header.Duration * stream.FrameRate);
            if (header.Duration > MaxSourceSeconds || declared / stream.FrameRate > MaxSourceSeconds)
                throw ApiException.BadRequest($"'{field}' is longer than the {MaxSourceSeconds} s a source may be");
            var counted = await ProbeAsync(probe, path, countFrames: true, field, token);
            var frames = counted.Video?.Frames ?? 0;
            if (frames <= 0) throw ApiException.BadRequest($"'{field}': the video stream has no decodable frames");
            if (counted.Audio is not null) await AudioAsync(data, field, token); // a soundtrack the worker could not read is refused now
            return new SourceVideo(data, stream.Width, stream.Height, stream.FrameRate, (int)frames, counted.Audio is not null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<MediaInfo> ProbeAsync(MediaProbe probe, string path, bool countFrames, string field, CancellationToken token)
    {
        try
        {
            return await probe.ProbeAsync(path, countFrames, token);
        }
        catch (Exception e) when (e is MediaException or System.Text.Json.JsonException)
        {
            throw ApiException.BadRequest($"'{field}': the file is not a readable video (corrupt, truncated or another format)");
        }
    }

    private byte[] FromDataUri(string uri, string field)
    {
        var comma = uri.IndexOf(',');
        var header = comma < 0 ? "" : uri[5..comma];
        if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            throw ApiException.BadRequest($"'{field}' must be a base64 data URI (data:<type>;base64,...) or an http(s) URL");
        var payload = uri.AsSpan(comma + 1);
        if (payload.Length / 4 * 3 > MaxBytes) throw ApiException.BadRequest($"'{field}' is larger than the limit of {MaxBytes} bytes");
        var bytes = new byte[payload.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(payload, bytes, out var written)) throw ApiException.BadRequest($"'{field}' has invalid base64 data");
        return bytes[..written];
    }
}
