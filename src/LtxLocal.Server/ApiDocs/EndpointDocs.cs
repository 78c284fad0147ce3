namespace LtxLocal.Server.ApiDocs;

/// <summary>
/// What the OpenAPI document says about an endpoint beyond what its typed results show: its error bodies (every error is
/// <see cref="ErrorBody"/>, docs/api.md "Errors") and, for the generation endpoints, the body fields and files.
/// </summary>
public static class EndpointDocs
{
    /// <summary>Every error status a /v1 route can answer whatever it does: a missing or wrong key.</summary>
    private static readonly int[] Always = [StatusCodes.Status401Unauthorized];

    public static RouteHandlerBuilder Errors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in Always.Concat(statuses).Distinct()) builder.Produces<ErrorBody>(status, "application/json");
        return builder;
    }

    /// <summary>A generation body: JSON with <paramref name="fields"/>, and multipart form data too when it takes <paramref name="files"/>.</summary>
    public static RouteHandlerBuilder Body(this RouteHandlerBuilder builder, IReadOnlyList<string> fields, params string[] files) =>
        builder.WithMetadata(new BodyFields(fields, files));

    /// <summary>The answers of a submission: 202 with the job, 200 with the plan of a dry run, and the errors of api.md.</summary>
    public static RouteHandlerBuilder Submission(this RouteHandlerBuilder builder) => builder
        .Produces<SubmissionResponse>(StatusCodes.Status202Accepted)
        .Produces<DryRunResponse>(StatusCodes.Status200OK)
        .Errors(400, 413, 422, 429, 503, 507);
}
