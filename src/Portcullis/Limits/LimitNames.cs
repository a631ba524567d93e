namespace Portcullis.Limits;

/// <summary>The names of the limits in request events and the access log (<c>portcullis.limit</c>); rate limits are named by <see cref="ClientRateLimiter.Name"/>.</summary>
internal static class LimitNames
{
    public const string ConnectionsPerClient = "connections_per_client";
    public const string RequestsInFlightPerClient = "requests_in_flight_per_client";
    public const string UpstreamInFlight = "upstream_in_flight";
    public const string RequestLine = "request_line";
    public const string RequestHeaders = "request_headers";
    public const string RequestHeadersTimeout = "request_headers_timeout";
    public const string BodySize = "body_size";
    public const string MinRequestDataRate = "min_request_data_rate";
    public const string Http2Resets = "http2_resets";
}
