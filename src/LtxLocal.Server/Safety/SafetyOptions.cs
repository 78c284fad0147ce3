namespace LtxLocal.Server.Safety;

/// <summary>
/// Ltx:Safety: the operator's content checker. LtxLocal ships no classifier; a request's safety checks need one of
/// Url (an HTTP endpoint, reached under the outbound policy like any other) or Command (a local program).
/// </summary>
public sealed class SafetyOptions
{
    /// <summary>POSTed the check as JSON; answers {"allow": bool, "reason": "..."}.</summary>
    public string? Url { get; set; }
    /// <summary>Run with the check as JSON on stdin; prints the same answer on stdout and exits 0.</summary>
    public string? Command { get; set; }
    public List<string> Arguments { get; set; } = [];
    /// <summary>One check, whole (connect, upload, answer); past it the checker has failed.</summary>
    public double TimeoutSeconds { get; set; } = 20;
    /// <summary>When the checker fails (down, timeout, 5xx, a bad answer): false (default) refuses, true lets the content through.</summary>
    public bool FailOpen { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Url) || !string.IsNullOrWhiteSpace(Command);
}
