namespace LtxLocal.Server.Testing;

/// <summary>One check as <see cref="ContentCheckerServer"/> received it: "inputs" or "content", the prompt, the decoded images.</summary>
public sealed record ReceivedCheck(string Kind, string Prompt, IReadOnlyList<ReceivedImage> Images);
