using LtxLocal.Inference.Requests;
using LtxLocal.Media;

namespace LtxLocal.Server.Safety;

/// <summary>
/// The two places a request's safety checks run. Inputs: the prompts and every input image (decoded at the size the job
/// uses, sent as PNG) before anything is queued; a denial is a 422 content_filtered_error, a failed checker (failing closed)
/// a 503. Content: the sampled output frames (<see cref="FrameSampler"/>) as PNG, after decoding and before the file is kept.
/// </summary>
public sealed class SafetyGate(ContentChecker checker, ImageDecoder decoder)
{
    public const string FilteredType = "content_filtered_error";

    /// <returns>Allowed, or Unchecked when the checker failed and fails open</returns>
    public async Task<SafetyVerdict> CheckInputsAsync(
        GenerationRequest request, IReadOnlyList<(string Name, byte[] Data)> images, CancellationToken token)
    {
        var pngs = new List<SafetyImage>();
        foreach (var (name, data) in images)
        {
            var decoded = await decoder.DecodeAsync(data, (request.Width, request.Height), token);
            pngs.Add(Image(name, null, null, decoded.Rgb, decoded.Width, decoded.Height));
        }
        var verdict = await checker.CheckAsync(new SafetyCheck(SafetyCheck.Inputs, null, request.Prompt, request.NegativePrompt, pngs), token);
        return verdict.Outcome switch
        {
            SafetyOutcome.Denied => throw ApiException.ContentFiltered($"the content checker refused the request's inputs: {verdict.Reason}"),
            SafetyOutcome.Refused => throw ApiException.Unavailable(verdict.Reason),
            _ => verdict,
        };
    }

    public Task<SafetyVerdict> CheckContentAsync(string jobId, GenerationRequest request, IReadOnlyDictionary<int, byte[]> frames, CancellationToken token)
    {
        var pngs = frames.Select(f => Image($"frame {f.Key}", f.Key, Math.Round(f.Key / request.Fps, 4), f.Value, request.Width, request.Height)).ToList();
        return checker.CheckAsync(new SafetyCheck(SafetyCheck.Content, jobId, request.Prompt, request.NegativePrompt, pngs), token);
    }

    private static SafetyImage Image(string name, int? frame, double? seconds, byte[] rgb, int width, int height) =>
        new(name, frame, seconds, width, height, "image/png", Convert.ToBase64String(PngEncoder.FromRgb(rgb, width, height)));
}
