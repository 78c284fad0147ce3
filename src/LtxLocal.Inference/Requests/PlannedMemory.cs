namespace LtxLocal.Inference.Requests;

/// <summary>
/// The memory plan the resolver chose for a job (the fastest whose estimated peak fits the budget), echoed as
/// <c>parameters.memory_plan</c>: its name, the estimated peak on the compute device, the budget it was fitted into
/// (null when nothing bounded it) and the host memory it keeps.
/// </summary>
public sealed record PlannedMemory(string Plan, long EstimatedPeakBytes, long? BudgetBytes, long HostBytes);
