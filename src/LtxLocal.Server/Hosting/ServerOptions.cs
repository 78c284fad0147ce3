namespace LtxLocal.Server.Hosting;

/// <summary>
/// Everything the server reads from configuration section "Ltx" (appsettings.json, LTX_* environment
/// variables, command-line flags; later sources win). The README lists each key.
/// </summary>
public sealed class ServerOptions
{
    public const string Section = "Ltx";

    /// <summary>Job database (SQLite), outputs, inputs and the generated API key file live here.</summary>
    public string DataDir { get; set; } = "data";
    public string ModelsDir { get; set; } = "models";

    /// <summary>API keys; ApiKey may hold one or several separated by commas (handy for LTX_API_KEY).</summary>
    public List<string> ApiKeys { get; set; } = [];
    public string? ApiKey { get; set; }
    /// <summary>A file of keys, one per line (# comments). Default: DataDir/api-keys, created on first start when no key is configured.</summary>
    public string? KeysFile { get; set; }
    /// <summary>Also accept the generated DataDir/api-keys when keys are given by ApiKeys, ApiKey or KeysFile (by default it is then ignored).</summary>
    public bool KeepGeneratedKey { get; set; }

    /// <summary>"auto" (the default: every GPU found, else the CPU with a warning), "all" (every GPU, never the CPU), "cuda:0,cuda:1" or "cpu".</summary>
    public string Devices { get; set; } = "auto";
    /// <summary>
    /// A memory budget for each compute device, in bytes or with KiB/MiB/GiB/TiB ("24GiB"): the planner fits jobs into the
    /// lesser of it and the GPU's free memory; on a CPU worker it is the only budget. Null: the GPUs' free memory only.
    /// </summary>
    public string? GpuMemoryLimit { get; set; }
    /// <summary>
    /// Host memory the chosen plan may keep (streamed blocks pinned in RAM, a text encoder run on the CPU), bytes or with
    /// KiB/MiB/GiB/TiB: on a CUDA worker the lesser of it and the host's available memory, on a CPU worker the only host
    /// bound. Null: the host's available memory on a CUDA worker, no separate bound on a CPU worker.
    /// </summary>
    public string? HostMemoryLimit { get; set; }
    /// <summary>The memory plans the planner may choose, comma-separated (e.g. "resident,sequential+fp8"); null: every plan.</summary>
    public string? MemoryPlans { get; set; }
    /// <summary>
    /// Host memory for encoded prompts kept between jobs (bytes or KiB/MiB/GiB/TiB; least recently used out first), so a
    /// repeated prompt neither loads nor runs the text encoder; 0 switches the cache off.
    /// </summary>
    public string PromptCacheBytes { get; set; } = "2GiB";
    /// <summary>
    /// Networks each worker keeps loaded between jobs whatever the job's memory plan, comma-separated (text_encoder,
    /// transformer, video_encoder, video_decoder, audio_decoder, upsampler); the planner counts them in every plan.
    /// Null or "none": sequential and streamed plans keep nothing.
    /// </summary>
    public string? KeepResident { get; set; }
    /// <summary>This node's name in a shared (PostgreSQL) queue; jobs it was running are recovered by it.</summary>
    public string NodeName { get; set; } = Environment.MachineName;
    /// <summary>How often a node renews the leases of its running jobs and its heartbeat, and runs the rescuer.</summary>
    public double LeaseRenewSeconds { get; set; } = 10;
    /// <summary>A running job whose lease was not renewed for this long is taken back by any node's rescuer.</summary>
    public double LeaseExpirySeconds { get; set; } = 60;

    public int MaxQueuedJobs { get; set; } = 100;
    /// <summary>
    /// How long GET /v1/sweeps/{id} (and its report) waits for the background quality pass it asks for before answering with
    /// what is measured so far; 0 answers at once.
    /// </summary>
    public double SweepMeasureWaitSeconds { get; set; } = 5;
    public double ResultTtlHours { get; set; } = 24;
    /// <summary>The longest retention a request's ttl may ask for (never below ResultTtlHours); longer asks are adjusted to it.</summary>
    public double MaxResultTtlHours { get; set; } = 168;
    public double ExpirySweepSeconds { get; set; } = 60;
    public int RetryAfterSeconds { get; set; } = 30;
    /// <summary>How many times a job may start; a job interrupted by a crash more often than this fails.</summary>
    public int MaxAttempts { get; set; } = 2;
    /// <summary>libtorch intra-op threads for CPU work (the tiny model, CPU text encoders); 0 means one per core.</summary>
    public int CpuThreads { get; set; }

    public int MaxPromptChars { get; set; } = 10_000;
    public long MaxBodyBytes { get; set; } = 32 * 1024 * 1024;
    /// <summary>JSON body bytes all requests together may hold in memory at once; a body that does not fit gets 503.</summary>
    public long MaxBufferedBodyBytes { get; set; } = 128 * 1024 * 1024;
    public long MaxImageBytes { get; set; } = 20 * 1024 * 1024;
    public long MaxImagePixels { get; set; } = 40_000_000;
    public int MaxImageDimension { get; set; } = 16384;
    /// <summary>Image decodes running at once (each holds a few rows, or a whole GIF/WEBP frame).</summary>
    public int MaxConcurrentDecodes { get; set; } = 2;
    public int MaxWidth { get; set; } = 1920;
    public int MaxHeight { get; set; } = 1088;

    /// <summary>"sqlite" (default) or "postgres" (several nodes sharing one queue; set PostgresConnection).</summary>
    public string Store { get; set; } = "sqlite";
    public string? PostgresConnection { get; set; }

    public string? FfmpegPath { get; set; }
    public string? FfprobePath { get; set; }

    public OutboundOptions Outbound { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public LtxLocal.Server.Safety.SafetyOptions Safety { get; set; } = new();
    public PricingOptions Pricing { get; set; } = new();

    /// <summary>"text" (default) or "json" console logs.</summary>
    public string LogFormat { get; set; } = "text";

    public TimeSpan ResultTtl => TimeSpan.FromHours(ResultTtlHours);
    public TimeSpan MaxResultTtl => TimeSpan.FromHours(Math.Max(MaxResultTtlHours, ResultTtlHours));
    public TimeSpan LeaseRenew => TimeSpan.FromSeconds(LeaseRenewSeconds);
    public TimeSpan LeaseExpiry => TimeSpan.FromSeconds(LeaseExpirySeconds);
    public string FullDataDir => Path.GetFullPath(DataDir);
}

/// <summary>
/// Rules for every URL the server fetches or calls (image_uri, webhook_url, upload_url). By default
/// loopback, link-local, private and other non-public addresses are refused (SSRF); AllowedNetworks
/// opens chosen ranges again (e.g. "10.1.0.0/16" for an internal bucket).
/// </summary>
public sealed class OutboundOptions
{
    public List<string> AllowedHosts { get; set; } = [];
    public List<string> DeniedHosts { get; set; } = [];
    public List<string> AllowedNetworks { get; set; } = [];
    public List<string> DeniedNetworks { get; set; } = [];
    /// <summary>One fetch, headers and body together (a server that trickles bytes is cut off here).</summary>
    public double TimeoutSeconds { get; set; } = 20;
    /// <summary>All the images of one request (keyframes are fetched at the same time) within this many seconds.</summary>
    public double InputsBudgetSeconds { get; set; } = 40;
}

public sealed class WebhookOptions
{
    /// <summary>When set, each webhook carries X-LTX-Signature: sha256=HMAC-SHA256(secret, body) in hex.</summary>
    public string? Secret { get; set; }
    public int Attempts { get; set; } = 4;
    public double FirstRetrySeconds { get; set; } = 2;
}
