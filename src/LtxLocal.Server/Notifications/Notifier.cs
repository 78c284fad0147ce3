using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LtxLocal.Server.Notifications;

/// <summary>
/// The two outbound calls a job can ask for: a PUT of the finished file to upload_url, and a POST of
/// the final status JSON to webhook_url (kept in the outbox and retried with backoff by <see cref="WebhookDispatcher"/>;
/// signed with HMAC-SHA256 when Ltx:Webhooks:Secret is set). Both go through <see cref="OutboundHttp"/>, so the SSRF rules hold.
/// </summary>
public sealed class Notifier(
    OutboundHttp http, IJobStore store, JobViews views, WebhookOutboxSignal outbox, IOptions<ServerOptions> options, TimeProvider clock, ILogger<Notifier> logger)
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

    /// <summary>
    /// Queues the webhook, if the job asked for one, in the outbox (the job store) and wakes the dispatcher: a slow receiver
    /// never holds a worker, and a delivery still being retried at shutdown is resumed after the restart.
    /// </summary>
    public async Task JobEndedAsync(string id)
    {
        var job = await store.GetAsync(id, CancellationToken.None);
        if (job is null) return;
        var spec = JsonSerializer.Deserialize(job.SpecJson, ApiJson.Default.StoredJob)!;
        if (spec.WebhookUrl is null) return;
        var body = JsonSerializer.Serialize(await views.StatusAsync(job, CancellationToken.None), ApiJson.Default.JobStatusResponse);
        var now = clock.GetUtcNow();
        await store.AddWebhookAsync(new WebhookDelivery(Guid.NewGuid().ToString(), id, spec.WebhookUrl, body, 0, now, now), CancellationToken.None);
        outbox.Wake();
    }

    /// <summary>One POST of a delivery (signed when Ltx:Webhooks:Secret is set); null when the receiver took it, else why not.</summary>
    public async Task<string?> PostAsync(WebhookDelivery delivery, CancellationToken token)
    {
        var secret = options.Value.Webhooks.Secret;
        try
        {
            using var content = new StringContent(delivery.Body, Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = content };
            if (!string.IsNullOrEmpty(secret)) request.Headers.Add(SignatureHeader, Sign(secret, delivery.Body));
            using var response = await http.Client.SendAsync(request, token);
            return response.IsSuccessStatusCode ? null : $"the receiver answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    /// <summary>"sha256=" + lowercase hex HMAC-SHA256 of the exact body bytes.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
