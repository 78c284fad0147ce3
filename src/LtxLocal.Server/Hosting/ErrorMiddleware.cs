using System.Text.Json;
using LtxLocal.Inference.Requests;
using LtxLocal.Server.Contracts;

namespace LtxLocal.Server.Hosting;

/// <summary>Turns every failure of a request into the documented error body; no endpoint writes error JSON itself.</summary>
public sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
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
        await context.Response.WriteAsJsonAsync(ErrorBody.Of(error.Type, error.Message), ApiJson.Default.ErrorBody);
    }
}
