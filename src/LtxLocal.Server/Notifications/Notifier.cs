using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Inputs;
using LtxLocal.Server.Jobs;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Notifications;

/// <summary>
/// The two outbound calls a job can ask for: a PUT of the finished file to upload_url, and a POST of
/// the final status JSON to webhook_url (retried with backoff; signed with HMAC-SHA256 when
/// Ltx:Webhooks:Secret is set). Both go through <see cref="OutboundHttp"/>, so the SSRF rules hold.
/// </summary>
public sealed class Notifier(OutboundHttp http, IJobStore store, JobViews views, IOptions<ServerOptions> options, ILogger<Notifier> logger)
{
    public const string SignatureHeader = "X-LTX-Signature";

    public async Task<UploadDto> UploadAsync(string url, string path, string contentType, CancellationToken token)
    {
        try
        {
            await using var file = File.OpenRead(path);
            using var content = new StreamContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            using var response = await http.Client.PutAsync(url, content, token);
            return response.IsSuccessStatusCode
                ? new UploadDto("succeeded", null)
                : new UploadDto("failed", $"the upload URL answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested)
        {
            logger.LogWarning("Upload to {Host} failed: {Message}", new Uri(url).Host, e.Message);
            return new UploadDto("failed", e.Message);
        }
    }

    /// <summary>Sends the webhook, if the job asked for one, in the background: a slow receiver must not hold a worker.</summary>
    public async Task JobEndedAsync(string id)
    {
        var job = await store.GetAsync(id, CancellationToken.None);
        if (job is null) return;
        var spec = JsonSerializer.Deserialize(job.SpecJson, ApiJson.Default.StoredJob)!;
        if (spec.WebhookUrl is null) return;
        var body = JsonSerializer.Serialize(await views.StatusAsync(job, CancellationToken.None), ApiJson.Default.JobStatusResponse);
        _ = Task.Run(() => PostWithRetriesAsync(spec.WebhookUrl, id, body));
    }

    private async Task PostWithRetriesAsync(string url, string id, string body)
    {
        var settings = options.Value.Webhooks;
        var delay = TimeSpan.FromSeconds(settings.FirstRetrySeconds);
        for (var attempt = 1; attempt <= settings.Attempts; attempt++)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                if (!string.IsNullOrEmpty(settings.Secret)) request.Headers.Add(SignatureHeader, Sign(settings.Secret, body));
                using var response = await http.Client.SendAsync(request);
                if (response.IsSuccessStatusCode) return;
                logger.LogWarning("Webhook for job {JobId}: attempt {Attempt} got {Status}", id, attempt, (int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning("Webhook for job {JobId}: attempt {Attempt} failed: {Message}", id, attempt, e.Message);
            }
            if (attempt < settings.Attempts) await Task.Delay(delay);
            delay *= 2;
        }
        logger.LogError("Webhook for job {JobId} gave up after {Attempts} attempts", id, settings.Attempts);
    }

    /// <summary>"sha256=" + lowercase hex HMAC-SHA256 of the exact body bytes.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
