//! STS GetCallerIdentity over the awsQuery protocol (form-encoded request,
//! XML answer): tools ask it which account their credentials belong to.

use super::catalog::Place;

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
pub(crate) const XML_CONTENT_TYPE: &str = "text/xml";

/// True for an awsQuery request (STS), which carries no X-Amz-Target.
pub(crate) fn is_query(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE))
}

/// The answer to an STS request signed for `place`: the HTTP status, the
/// operation's name for the request log, and the XML body.
pub(crate) fn answer(place: &Place, body: &[u8], request_id: &str) -> (u16, String, String) {
    let form = String::from_utf8_lossy(body);
    let action = form
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .unwrap_or_default()
        .to_string();
    if action != "GetCallerIdentity" {
        let body = format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
             <Type>Sender</Type><Code>InvalidAction</Code>\
             <Message>The action {} is not valid for this web service.</Message>\
             </Error><RequestId>{request_id}</RequestId></ErrorResponse>",
            xml_text(&action)
        );
        return (400, action, body);
    }
    let account = &place.account;
    let body = format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult>\
         <Arn>arn:aws:iam::{account}:user/cbdash-sim</Arn>\
         <UserId>AIDA{account}SIM</UserId>\
         <Account>{account}</Account>\
         </GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>\
         </GetCallerIdentityResponse>"
    );
    (200, action, body)
}

/// Text safe inside an XML element.
fn xml_text(s: &str) -> String {
    s.chars()
        .take(64)
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_account_the_key_belongs_to() {
        let place = Place {
            account: "222222222222".into(),
            region: "eu-west-1".into(),
        };
        let (status, op, body) =
            answer(&place, b"Action=GetCallerIdentity&Version=2011-06-15", "r1");
        assert_eq!((status, op.as_str()), (200, "GetCallerIdentity"));
        assert!(body.contains("<Account>222222222222</Account>"), "{body}");
        let (status, _, body) = answer(&place, b"Action=<Assume>&Version=2011-06-15", "r2");
        assert_eq!(status, 400);
        assert!(
            body.contains("InvalidAction") && body.contains("&lt;Assume&gt;"),
            "{body}"
        );
    }
}
