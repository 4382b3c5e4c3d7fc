/// The region and account an ARN names (`arn:aws:codebuild:REGION:ACCOUNT:…`);
/// None when it is not shaped like one.
pub fn arn_place(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (_partition, _service) = (parts.next()?, parts.next()?);
    let (region, account) = (parts.next()?, parts.next()?);
    parts.next()?;
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    account_ok.then_some((region, account))
}

#[cfg(test)]
mod tests {
    use super::arn_place;

    #[test]
    fn reads_region_and_account() {
        assert_eq!(
            arn_place("arn:aws:codebuild:eu-west-1:222222222222:build/web:1f0c"),
            Some(("eu-west-1", "222222222222"))
        );
        assert_eq!(arn_place("arn:aws:codebuild:eu-west-1:2222:build/x"), None);
        assert_eq!(arn_place("web:1f0c"), None);
    }
}
