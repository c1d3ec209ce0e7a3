use crate::engine::{Cx, MethodPair};
use crate::rules::methods;

rule! {
    /// # What
    /// A method keeps returning a single response, or keeps returning a stream
    /// of responses (the `stream` keyword before the response type).
    ///
    /// # Why
    /// Unary and streaming calls are different protocols on the wire (gRPC
    /// frames and Connect envelopes differ) and have different generated
    /// signatures. Clients built from the old schema cannot read what the new
    /// server sends, and code calling or implementing the method stops
    /// compiling.
    ///
    /// # Example
    /// ```proto
    /// // old
    /// rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);
    /// // new
    /// rpc ListOrders(ListOrdersRequest) returns (stream Order);
    /// ```
    ///
    /// # Fix
    /// Keep the method as it was and add the streaming variant as a new method,
    /// e.g. `rpc StreamOrders(ListOrdersRequest) returns (stream Order);`.
    RpcSameServerStreaming {
        id: "RPC_SAME_SERVER_STREAMING",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData, GeneratedCode],
        summary: "a method keeps its response streaming",
    }
    impl {
        fn check_method(&self, cx: &mut Cx, p: &MethodPair) {
            methods::check_streaming(cx, p, methods::StreamEnd::Response);
        }
    }
}
