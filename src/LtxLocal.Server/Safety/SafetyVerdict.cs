namespace LtxLocal.Server.Safety;

/// <summary>How a check ended, after Ltx:Safety:FailOpen is applied to a checker failure.</summary>
public enum SafetyOutcome
{
    /// <summary>The checker allowed it.</summary>
    Allowed,
    /// <summary>The checker denied it (result: nsfw_content true; the job or request fails with content_filtered_error).</summary>
    Denied,
    /// <summary>The checker failed and FailOpen lets the content through unchecked (nsfw_content stays null).</summary>
    Unchecked,
    /// <summary>The checker failed and the server fails closed (the default): refused.</summary>
    Refused,
}

/// <summary>The outcome and its reason in words (the checker's own reason, or what went wrong reaching it).</summary>
public sealed record SafetyVerdict(SafetyOutcome Outcome, string Reason)
{
    public bool LetsThrough => Outcome is SafetyOutcome.Allowed or SafetyOutcome.Unchecked;
}
