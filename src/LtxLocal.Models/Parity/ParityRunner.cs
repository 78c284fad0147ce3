using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>
/// The shape every component runner shares: one dispose scope around the replay, the case's weights opened at most
/// once and closed after it, and the case's tensors, call arguments and checks reached through one
/// <see cref="ParityReplay"/>. A component runner only says what to build and which outputs to compare.
/// </summary>
public abstract class ParityRunner(string component) : IParityRunner
{
    public string Component => component;

    public void Run(ParityCase fixture, Device device, Action<string, Tensor> check)
    {
        using var replay = new ParityReplay(fixture, device, check);
        using var scope = TorchRuntime.NewDisposeScope();
        Replay(replay);
    }

    /// <summary>Builds the module(s) from the case and hands every produced output to <see cref="ParityReplay.Check"/>.</summary>
    protected abstract void Replay(ParityReplay replay);
}
