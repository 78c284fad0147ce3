using LtxLocal.Torch;

namespace LtxLocal.Testing;

/// <summary>The device tests run on: $LTX_TEST_DEVICE ("cpu", "cuda", "cuda:N"), default cpu.</summary>
public static class TestDevice
{
    public static Device Current { get; } = Device.Parse(Environment.GetEnvironmentVariable("LTX_TEST_DEVICE") is { Length: > 0 } d ? d : "cpu");

    public static bool IsCpu => Current.Type == DeviceType.Cpu;
}
