using System.Text.Json;
using LtxLocal.Inference.Requests;
using LtxLocal.Server.Storage;
using Microsoft.Data.Sqlite;

namespace LtxLocal.Server.Hosting;

/// <summary>Turns every failure of a request into the documented error body; no endpoint writes error JSON itself.</summary>
public sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
    private const int SqliteFull = 13; // SQLITE_FULL

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e);
        }
        catch (InvalidGenerationException e)
        {
            await WriteAsync(context, ApiException.BadRequest(e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteAsync(context, ApiException.TooLarge("the request body is larger than the server accepts (Ltx:MaxBodyBytes)"));
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, ApiException.BadRequest(e.Message));
        }
        catch (InsufficientStorageException e)
        {
            logger.LogWarning("Refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            await WriteAsync(context, ApiException.InsufficientStorage($"the server's disk is full; nothing was queued ({e.Message}). Retry when space is freed"));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteFull)
        {
            logger.LogWarning("Refused {Method} {Path}: the job database is full: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            await WriteAsync(context, ApiException.InsufficientStorage("the server's disk is full; the job database could not record the job, nothing was queued. Retry when space is freed"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error on {Method} {Path} ({TraceId})", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            await WriteAsync(context, new ApiException(500, "api_error", $"internal error; the server log has the details (request {context.TraceIdentifier})"));
        }
    }

    public static async Task WriteAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted) return;
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        if (error.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString();
        if (error.Allow is { } allow) context.Response.Headers.Allow = string.Join(", ", allow);
        await context.Response.WriteAsJsonAsync(ErrorBody.Of(error.Type, error.Message), ApiJson.Default.ErrorBody);
    }
}
