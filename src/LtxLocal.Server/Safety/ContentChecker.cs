using System.Net.Http.Headers;
using System.Text.Json;
using LtxLocal.Media;

namespace LtxLocal.Server.Safety;

/// <summary>
/// Asks the operator's checker (Ltx:Safety:Url or Ltx:Safety:Command) about one <see cref="SafetyCheck"/>. The URL goes
/// through <see cref="OutboundHttp"/>, so the outbound address policy holds for it as for a client's URLs. A checker that
/// cannot be reached, times out, answers non-2xx or answers nonsense has failed: closed (refused) unless Ltx:Safety:FailOpen.
/// </summary>
public sealed class ContentChecker(OutboundHttp http, UrlPolicy policy, IOptions<ServerOptions> options, ILogger<ContentChecker> logger)
{
    private const long MaxAnswerBytes = 64 * 1024;

    private SafetyOptions Settings => options.Value.Safety;

    public bool Configured => Settings.Configured;

    public async Task<SafetyVerdict> CheckAsync(SafetyCheck check, CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromSeconds(Settings.TimeoutSeconds));
        SafetyAnswer answer;
        try
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(check, SafetyJson.Default.SafetyCheck);
            answer = string.IsNullOrWhiteSpace(Settings.Url) ? await RunCommandAsync(body, deadline.Token) : await PostAsync(new Uri(Settings.Url), body, deadline.Token);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return Failed(check, $"no answer within {Settings.TimeoutSeconds} s (Ltx:Safety:TimeoutSeconds)");
        }
        catch (CheckerFailure e)
        {
            return Failed(check, e.Message);
        }
        if (answer.Allow is not { } allow) return Failed(check, "its answer has no boolean \"allow\"");
        var reason = string.IsNullOrWhiteSpace(answer.Reason) ? allow ? "allowed by the content checker" : "denied by the content checker" : answer.Reason.Trim();
        return new SafetyVerdict(allow ? SafetyOutcome.Allowed : SafetyOutcome.Denied, reason);
    }

    private SafetyVerdict Failed(SafetyCheck check, string why)
    {
        logger.LogWarning("Content checker failed on the {Check} check of {Job}: {Why}; failing {Mode}", check.Check, check.JobId ?? "a submission", why,
            Settings.FailOpen ? "open" : "closed");
        return Settings.FailOpen
            ? new SafetyVerdict(SafetyOutcome.Unchecked, $"the content checker failed ({why}); let through unchecked (Ltx:Safety:FailOpen)")
            : new SafetyVerdict(SafetyOutcome.Refused, $"the content checker failed ({why}); refused because checks fail closed (Ltx:Safety:FailOpen)");
    }

    private async Task<SafetyAnswer> PostAsync(Uri url, byte[] body, CancellationToken token)
    {
        if (policy.HostRefusal(url.IdnHost) is { } why) throw new CheckerFailure($"its address is refused by the outbound policy: {why}");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.Client.PostAsync(url, content, token);
            if (!response.IsSuccessStatusCode) throw new CheckerFailure($"it answered {(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync(token);
            return Parse(await StreamLimits.ReadAsync(stream, MaxAnswerBytes, token) ?? throw new CheckerFailure($"its answer is larger than {MaxAnswerBytes} bytes"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new CheckerFailure(Innermost(e));
        }
    }

    private async Task<SafetyAnswer> RunCommandAsync(byte[] body, CancellationToken token)
    {
        ProcessRunner.Result run;
        try
        {
            run = await ProcessRunner.RunAsync(Settings.Command!, Settings.Arguments, body, token);
        }
        catch (MediaException e)
        {
            throw new CheckerFailure(e.Message);
        }
        if (run.ExitCode != 0) throw new CheckerFailure($"the command exited with {run.ExitCode}: {ProcessRunner.Tail(run.Stderr)}");
        if (run.Stdout.Length > MaxAnswerBytes) throw new CheckerFailure($"its answer is larger than {MaxAnswerBytes} bytes");
        return Parse(run.Stdout);
    }

    private static SafetyAnswer Parse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SafetyJson.Default.SafetyAnswer) ?? throw new CheckerFailure("its answer is null");
        }
        catch (JsonException e)
        {
            throw new CheckerFailure($"its answer is not the expected JSON ({e.Message})");
        }
    }

    /// <summary>The handler wraps the connect-time refusal; the innermost message says what happened.</summary>
    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }

    private sealed class CheckerFailure(string message) : Exception(message);
}
