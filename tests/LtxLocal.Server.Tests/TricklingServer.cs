using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LtxLocal.Server.Tests;

/// <summary>
/// A raw HTTP server on 127.0.0.1 that answers every GET with headers at once and then one body byte every
/// <c>interval</c>: the slow-body attack on an outbound fetch. It is bounded: each answer stops after
/// <c>maxBytes</c> bytes, and the server stops accepting after <c>lifetime</c>, whatever the test does.
/// </summary>
public sealed class TricklingServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop;
    private readonly Task _accepting;
    private readonly TimeSpan _interval;
    private readonly int _maxBytes;
    private int _connections;

    public string BaseUrl { get; }
    public int Connections => Volatile.Read(ref _connections);

    public TricklingServer(TimeSpan? interval = null, int maxBytes = 200, TimeSpan? lifetime = null)
    {
        _interval = interval ?? TimeSpan.FromMilliseconds(100);
        _maxBytes = maxBytes;
        _stop = new CancellationTokenSource(lifetime ?? TimeSpan.FromSeconds(60));
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        var answers = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                answers.Add(AnswerAsync(client));
            }
        }
        catch (OperationCanceledException) { /* lifetime over or disposed */ }
        await Task.WhenAll(answers);
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = new byte[4096];
            var read = 0;
            while (read < request.Length && !Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n"))
            {
                var n = await stream.ReadAsync(request.AsMemory(read), _stop.Token);
                if (n == 0) return;
                read += n;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n"), _stop.Token);
            for (var i = 0; i < _maxBytes; i++)
            {
                await stream.WriteAsync(new byte[] { 0x89 }, _stop.Token);
                await Task.Delay(_interval, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The fetcher hung up (what the test wants) or the server is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
