using System.Globalization;
using System.Text;

namespace LtxLocal.Server.Health;

/// <summary>Counters for /metrics in the Prometheus text format (prometheus-net is not available here).</summary>
public sealed class ServerMetrics
{
    private long _submitted, _rejectedFull, _completed, _failed, _cancelled, _requests, _errors;
    private double _runSecondsSum;
    private readonly Lock _lock = new();

    public void Submitted(int jobs) => Interlocked.Add(ref _submitted, jobs);
    private readonly Dictionary<string, double> _deviceSeconds = [];

    /// <summary>Device time a job used (include_cost's gpu_seconds), summed per device.</summary>
    public void DeviceSeconds(string device, double seconds)
    {
        lock (_deviceSeconds) _deviceSeconds[device] = _deviceSeconds.GetValueOrDefault(device) + seconds;
    }

    public void RejectedQueueFull() => Interlocked.Increment(ref _rejectedFull);
    public void Cancelled() { Interlocked.Increment(ref _cancelled); Ended(); }
    public void Failed() { Interlocked.Increment(ref _failed); Ended(); }
    public void Request(int status)
    {
        Interlocked.Increment(ref _requests);
        if (status >= 400) Interlocked.Increment(ref _errors);
    }

    public void Completed(double runSeconds)
    {
        lock (_lock)
        {
            _completed++;
            _runSecondsSum += runSeconds;
        }
        Ended();
    }

    /// <summary>When the last jobs ended (any outcome frees a queue slot): the queue's observed drain rate.</summary>
    private readonly Queue<DateTimeOffset> _ends = new();
    private const int DrainSamples = 32;
    private static readonly TimeSpan DrainWindow = TimeSpan.FromMinutes(30);

    private void Ended(DateTimeOffset? at = null)
    {
        lock (_ends)
        {
            _ends.Enqueue(at ?? DateTimeOffset.UtcNow);
            while (_ends.Count > DrainSamples) _ends.Dequeue();
        }
    }

    /// <summary>Records a job end at a given time (tests and replays); <see cref="Completed"/> and the others record now.</summary>
    public void EndedAt(DateTimeOffset at) => Ended(at);

    /// <summary>Jobs ended per second over the recent ends (at least 3 within 30 minutes of <paramref name="now"/>); null when unknown.</summary>
    public double? DrainRatePerSecond(DateTimeOffset now)
    {
        lock (_ends)
        {
            var recent = _ends.Where(t => now - t < DrainWindow).ToList();
            if (recent.Count < 3) return null;
            var span = (recent[^1] - recent[0]).TotalSeconds;
            return span <= 0 ? null : (recent.Count - 1) / span;
        }
    }

    /// <summary>Mean run time of the jobs completed since start, for Retry-After; null before the first.</summary>
    public double? MeanRunSeconds
    {
        get { lock (_lock) return _completed == 0 ? null : _runSecondsSum / _completed; }
    }

    public string Render(int queued, int processing, int workers, bool ready)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, double value, string labels = "")
        {
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
            text.Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
            text.Append(name).Append(labels).Append(' ').AppendLine(value.ToString(CultureInfo.InvariantCulture));
        }
        Metric("ltx_jobs_submitted_total", "counter", "Jobs accepted into the queue.", Interlocked.Read(ref _submitted));
        Metric("ltx_jobs_rejected_queue_full_total", "counter", "Submissions refused with 429 because the queue was full.", Interlocked.Read(ref _rejectedFull));
        Metric("ltx_jobs_failed_total", "counter", "Jobs that failed.", Interlocked.Read(ref _failed));
        Metric("ltx_jobs_cancelled_total", "counter", "Jobs cancelled on request.", Interlocked.Read(ref _cancelled));
        lock (_lock)
        {
            Metric("ltx_jobs_completed_total", "counter", "Jobs that produced a video.", _completed);
            Metric("ltx_job_run_seconds_sum", "counter", "Total run time of completed jobs.", _runSecondsSum);
        }
        Metric("ltx_queue_depth", "gauge", "Jobs waiting in the queue.", queued);
        Metric("ltx_jobs_processing", "gauge", "Jobs being generated now (all nodes sharing the store).", processing);
        Metric("ltx_workers", "gauge", "Workers in this process (one per device).", workers);
        Metric("ltx_ready", "gauge", "1 when the server can run jobs.", ready ? 1 : 0);
        Metric("ltx_http_requests_total", "counter", "HTTP requests answered.", Interlocked.Read(ref _requests));
        Metric("ltx_http_errors_total", "counter", "HTTP requests answered with 4xx or 5xx.", Interlocked.Read(ref _errors));
        return text.ToString();
    }
}
