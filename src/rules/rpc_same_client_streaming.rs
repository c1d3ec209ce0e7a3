use crate::engine::{Cx, MethodPair};
use crate::rules::methods;

rule! {
    /// # What
    /// A method keeps taking a single request, or keeps taking a stream of
    /// requests (the `stream` keyword before the request type).
    ///
    /// # Why
    /// Unary and streaming calls are different protocols on the wire (gRPC
    /// frames and Connect envelopes differ) and have different generated
    /// signatures. Clients built from the old schema fail against the new
    /// server, and code calling or implementing the method stops compiling.
    ///
    /// # Example
    /// ```proto
    /// // old
    /// rpc Upload(Chunk) returns (UploadResult);
    /// // new
    /// rpc Upload(stream Chunk) returns (UploadResult);
    /// ```
    ///
    /// # Fix
    /// Keep the method as it was and add the streaming variant as a new method,
    /// e.g. `rpc UploadStream(stream Chunk) returns (UploadResult);`.
    RpcSameClientStreaming {
        id: "RPC_SAME_CLIENT_STREAMING",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData, GeneratedCode],
        summary: "a method keeps its request streaming",
    }
    impl {
        fn check_method(&self, cx: &mut Cx, p: &MethodPair) {
            methods::check_streaming(cx, p, methods::StreamEnd::Request);
        }
    }
}
