#!/bin/sh
# Stand-in for certbot in the nginx scenario (there is no internet on the test
# hosts). Like Let's Encrypt's HTTP-01 challenge, it puts a token into the
# webroot and fetches it from nginx for every name (through 127.0.0.1); then it
# makes a certificate where certbot keeps it. Each call is logged to
# /var/log/fake-certbot.log.
set -eu
echo "$*" >> /var/log/fake-certbot.log
webroot=
name=
domains=
while [ "$#" -gt 0 ]; do
    case $1 in
        --webroot-path) webroot=$2; shift ;;
        --cert-name) name=$2; shift ;;
        --domain=*) domains="$domains ${1#--domain=}" ;;
    esac
    shift
done
challenges=$webroot/.well-known/acme-challenge
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$challenges"
echo "$token" > "$challenges/$token"
for domain in $domains; do
    got=$(curl -s --resolve "$domain:80:127.0.0.1" "http://$domain/.well-known/acme-challenge/$token")
    if [ "$got" != "$token" ]; then
        echo "the challenge of $domain is not served" >&2
        exit 1
    fi
done
rm "$challenges/$token"
live=/etc/letsencrypt/live/$name
mkdir -p "$live"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 \
    -subj "/O=Fake Encrypt/CN=$name" -keyout "$live/privkey.pem" -out "$live/fullchain.pem" 2>/dev/null
