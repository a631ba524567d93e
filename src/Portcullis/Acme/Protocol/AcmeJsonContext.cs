using System.Text.Json.Serialization;

namespace Portcullis.Acme.Protocol;

/// <summary>Source-generated (AOT-safe, reflection-free) JSON for every ACME object we read or write.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(AcmeDirectory))]
[JsonSerializable(typeof(AcmeAccount))]
[JsonSerializable(typeof(AcmeOrder))]
[JsonSerializable(typeof(AcmeAuthorization))]
[JsonSerializable(typeof(AcmeChallenge))]
[JsonSerializable(typeof(AcmeProblem))]
[JsonSerializable(typeof(JwsObject))]
[JsonSerializable(typeof(NewAccountPayload))]
[JsonSerializable(typeof(NewOrderPayload))]
[JsonSerializable(typeof(FinalizePayload))]
[JsonSerializable(typeof(EmptyPayload))]
[JsonSerializable(typeof(RenewalInfoResponse))]
internal sealed partial class AcmeJsonContext : JsonSerializerContext;
