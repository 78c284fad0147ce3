using Prometheus;

namespace LtxLocal.Server.Health;

/// <summary>
/// The collectors behind /metrics (prometheus-net), in a registry of this server's own, so two servers in one process (the
/// tests) never share counts. Job counters start from the job store's per-node totals (<see cref="RestoreOutcomes"/>); the
/// gauges are refreshed at each scrape by <see cref="MetricsScrape"/>. Also keeps the recent job ends for Retry-After.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>Seconds buckets from 50 ms to about 1.5 hours (job runs and queue waits span that range).</summary>
    private static readonly double[] LongSeconds = Histogram.ExponentialBuckets(0.05, 2, 17);
    /// <summary>Seconds buckets from 10 ms to about 5 minutes (one denoising step, one decode).</summary>
    private static readonly double[] ShortSeconds = Histogram.ExponentialBuckets(0.01, 2, 15);

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    private readonly Counter _textEncoderRuns, _promptCacheHits;
    private readonly Gauge _promptCacheBytes;
    private readonly Counter _submitted, _rejectedFull, _completed, _failed, _cancelled, _requests, _errors, _deviceSeconds;
    private readonly Histogram _runSeconds, _queueWait, _stepSeconds, _decodeSeconds;

    public Gauge QueueDepth { get; }
    public Gauge Processing { get; }
    public Gauge Workers { get; }
    public Gauge Ready { get; }
    public Gauge DeviceBusy { get; }
    public Gauge DeviceMemoryUsed { get; }
    public Gauge DeviceMemoryTotal { get; }
    public Gauge ClusterNodesLive { get; }
    public Gauge ClusterNodeJobs { get; }
    public Gauge RunningHere { get; }

    public ServerMetrics()
    {
        var f = Metrics.WithCustomRegistry(Registry);
        _submitted = f.CreateCounter("ltx_jobs_submitted_total", "Jobs accepted into the queue.");
        _rejectedFull = f.CreateCounter("ltx_jobs_rejected_queue_full_total", "Submissions refused with 429 because the queue was full.");
        _completed = f.CreateCounter("ltx_jobs_completed_total", "Jobs this node ran to a video (kept across restarts in the job store).");
        _failed = f.CreateCounter("ltx_jobs_failed_total", "Jobs that failed on this node (kept across restarts).");
        _cancelled = f.CreateCounter("ltx_jobs_cancelled_total", "Jobs cancelled on request through this node (kept across restarts).");
        _requests = f.CreateCounter("ltx_http_requests_total", "HTTP requests answered.");
        _errors = f.CreateCounter("ltx_http_errors_total", "HTTP requests answered with 4xx or 5xx.");
        _deviceSeconds = f.CreateCounter("ltx_device_seconds_total", "Device time jobs used (result.cost.gpu_seconds), per device.", "device");
        _runSeconds = f.CreateHistogram("ltx_job_run_seconds", "Run time of completed jobs (start to finished file), per pipeline.",
            new HistogramConfiguration { LabelNames = ["pipeline"], Buckets = LongSeconds });
        _queueWait = f.CreateHistogram("ltx_job_queue_wait_seconds", "Time from submission to a worker taking the job.",
            new HistogramConfiguration { Buckets = LongSeconds });
        _stepSeconds = f.CreateHistogram("ltx_denoising_step_seconds", "Seconds per denoising step.", new HistogramConfiguration { Buckets = ShortSeconds });
        _decodeSeconds = f.CreateHistogram("ltx_decode_seconds", "VAE decode time of a job (all its frames).", new HistogramConfiguration { Buckets = ShortSeconds });
        QueueDepth = f.CreateGauge("ltx_queue_depth", "Jobs waiting in the queue.");
        Processing = f.CreateGauge("ltx_jobs_processing", "Jobs being generated now (all nodes sharing the store).");
        Workers = f.CreateGauge("ltx_workers", "Workers in this process (one per device).");
        Ready = f.CreateGauge("ltx_ready", "1 when the server can run jobs.");
        DeviceBusy = f.CreateGauge("ltx_device_busy", "1 while a job runs on the device.", "device");
        DeviceMemoryUsed = f.CreateGauge("ltx_device_memory_used_bytes",
            "Memory in use on the device (a GPU: by every process; the CPU: this process's working set).", "device");
        DeviceMemoryTotal = f.CreateGauge("ltx_device_memory_total_bytes", "Memory of the device (the CPU: what this process may use).", "device");
        ClusterNodesLive = f.CreateGauge("ltx_cluster_nodes_live", "Nodes sharing the job store with a heartbeat within one lease expiry.");
        ClusterNodeJobs = f.CreateGauge("ltx_cluster_node_jobs_running", "Jobs each live node holds a lease on.", "node", "name");
        _textEncoderRuns = f.CreateCounter("ltxlocal_text_encoder_runs_total", "Prompts the text encoder encoded (a prompt-cache miss, or every prompt with the cache off).");
        _promptCacheHits = f.CreateCounter("ltxlocal_prompt_cache_hits_total", "Prompts answered from the prompt-embedding cache (the text encoder neither loaded nor ran).");
        _promptCacheBytes = f.CreateGauge("ltxlocal_prompt_cache_bytes", "Host memory the prompt-embedding cache holds.");
        RunningHere = f.CreateGauge("ltx_jobs_running_here", "Jobs this process is generating now.");
    }

    /// <summary>Starts the outcome counters from the totals the job store kept for this node.</summary>
    public void RestoreOutcomes(IReadOnlyDictionary<string, long> counts)
    {
        _completed.IncTo(counts.GetValueOrDefault("completed"));
        _failed.IncTo(counts.GetValueOrDefault("failed"));
        _cancelled.IncTo(counts.GetValueOrDefault("cancelled"));
    }

    /// <summary>Makes every device's series visible (at 0) before its first job.</summary>
    public void AddDevice(string device)
    {
        _deviceSeconds.WithLabels(device).IncTo(0);
        DeviceBusy.WithLabels(device).Set(0);
    }

    public void Submitted(int jobs) => _submitted.Inc(jobs);
    public void RejectedQueueFull() => _rejectedFull.Inc();
    public void Cancelled() { _cancelled.Inc(); _drain.Ended(); }
    public void Failed() { _failed.Inc(); _drain.Ended(); }

    public void Completed(string pipeline, double runSeconds)
    {
        _completed.Inc();
        _runSeconds.WithLabels(pipeline).Observe(runSeconds);
        lock (_drain) (_completedHere, _runSecondsHere) = (_completedHere + 1, _runSecondsHere + runSeconds);
        _drain.Ended();
    }

    public void Request(int status)
    {
        _requests.Inc();
        if (status >= 400) _errors.Inc();
    }

    /// <summary>The prompt cache's counts as of now (they only grow; the bytes go up and down).</summary>
    public void PromptCache(long encoderRuns, long hits, long bytes)
    {
        _textEncoderRuns.IncTo(encoderRuns);
        _promptCacheHits.IncTo(hits);
        _promptCacheBytes.Set(bytes);
    }

    public void QueueWait(double seconds) => _queueWait.Observe(Math.Max(0, seconds));
    public void DenoisingStep(double seconds) => _stepSeconds.Observe(seconds);
    public void Decode(double seconds) => _decodeSeconds.Observe(seconds);
    /// <summary>Device time a job used (include_cost's gpu_seconds), summed per device.</summary>
    public void DeviceSeconds(string device, double seconds) => _deviceSeconds.WithLabels(device).Inc(seconds);

    private readonly JobEnds _drain = new();
    private long _completedHere;
    private double _runSecondsHere;

    /// <summary>Records a job end at a given time (tests and replays); <see cref="Completed"/> and the others record now.</summary>
    public void EndedAt(DateTimeOffset at) => _drain.Ended(at);

    /// <summary>Jobs ended per second over the recent ends (at least 3 within 30 minutes of <paramref name="now"/>); null when unknown.</summary>
    public double? DrainRatePerSecond(DateTimeOffset now) => _drain.RatePerSecond(now);

    /// <summary>Mean run time of the jobs completed since this process started, for Retry-After; null before the first.</summary>
    public double? MeanRunSeconds
    {
        get { lock (_drain) return _completedHere == 0 ? null : _runSecondsHere / _completedHere; }
    }
}
