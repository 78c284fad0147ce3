namespace LtxLocal.Server.Safety;

/// <summary>The checker's answer: <c>{"allow": true|false, "reason": "..."}</c>; a missing "allow" is a bad answer (a failure).</summary>
public sealed record SafetyAnswer(bool? Allow, string? Reason);
