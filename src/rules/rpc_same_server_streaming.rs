use crate::engine::{Cx, MethodPair, Part};
use crate::schema::Method;

/// `rpc Name(stream pkg.Req) returns (pkg.Resp);`
fn signature(name: &str, m: &Method) -> String {
    let stream = |s: bool| if s { "stream " } else { "" };
    format!(
        "rpc {name}({}{}) returns ({}{});",
        stream(m.client_streaming),
        m.input_type,
        stream(m.server_streaming),
        m.output_type
    )
}

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
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.server_streaming == new.server_streaming {
                return;
            }
            let words = |s: bool| if s { "a response stream" } else { "a single response" };
            cx.report(
                p.at(Part::ServerStreaming),
                format!(
                    "method \"{}\" of service \"{}\" changed from returning {} to {}",
                    new.name,
                    p.new_service.full_name,
                    words(old.server_streaming),
                    words(new.server_streaming)
                ),
            )
            .help(format!(
                "keep `{}` as it was and add the {} variant as a new method, e.g. `{}`",
                signature(&old.name, old),
                if new.server_streaming { "streaming" } else { "unary" },
                signature(
                    &format!("{}{}", new.name, if new.server_streaming { "Stream" } else { "Unary" }),
                    new
                )
            ));
        }
    }
}
