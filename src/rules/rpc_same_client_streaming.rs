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
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.client_streaming == new.client_streaming {
                return;
            }
            let words = |s: bool| if s { "a request stream" } else { "a single request" };
            cx.report(
                p.at(Part::ClientStreaming),
                format!(
                    "method \"{}\" of service \"{}\" changed from {} to {}",
                    new.name,
                    p.new_service.full_name,
                    words(old.client_streaming),
                    words(new.client_streaming)
                ),
            )
            .help(format!(
                "keep `{}` as it was and add the {} variant as a new method, e.g. `{}`",
                signature(&old.name, old),
                if new.client_streaming { "streaming" } else { "unary" },
                signature(
                    &format!("{}{}", new.name, if new.client_streaming { "Stream" } else { "Unary" }),
                    new
                )
            ));
        }
    }
}
