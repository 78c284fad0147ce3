namespace LtxLocal.Server.Contracts;

/// <summary>
/// The request's <c>safety</c> object: have the operator's checker judge the prompt and input images before the job is
/// queued (<see cref="CheckInputs"/>), and sampled frames of the output before it is kept (<see cref="CheckContent"/>).
/// </summary>
public sealed record SafetyAsk(bool CheckInputs, bool CheckContent)
{
    public bool Any => CheckInputs || CheckContent;
}
