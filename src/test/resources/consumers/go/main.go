// A real AWS SDK for Go v2 consumer of the resolved-config Secret, for the consumer contract tests
// (built by scripts/install-consumers-sdk, run as a child process by Consumers.java).
//
// Usage: s3-consumer BUCKET KEY FORBIDDEN_KEY
//
// It builds its client as docs/consumers.md tells an application to: config.LoadDefaultConfig with
// no options, and the one documented line for path style,
//
//	s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = os.Getenv("S3_ADDRESSING_STYLE") == "path" })
//
// Everything else comes from the environment the Secret sets: credentials (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY), region (AWS_REGION), endpoint (AWS_ENDPOINT_URL) and trust of a private
// CA (AWS_CA_BUNDLE). It lists the bucket, reads KEY, tries to write FORBIDDEN_KEY (a read-only
// grant must refuse it) and presigns a GET of KEY with s3.NewPresignClient, then prints one JSON
// line on stdout:
//
//	{"client":"aws-sdk-go-v2","list":...,"get":...,"put":...,"presigned":...}
//
// with the same step values as boto3_consumer.py. It exits 0 whatever the steps did (the test
// judges the JSON); it never prints the secret key or request headers.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

const maxMessage = 300

// result keeps the field order of the other consumers' lines.
type result struct {
	Client    string `json:"client"`
	List      string `json:"list"`
	Get       string `json:"get"`
	Put       string `json:"put"`
	Presigned string `json:"presigned"`
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: s3-consumer BUCKET KEY FORBIDDEN_KEY")
		os.Exit(2)
	}
	bucket, key, forbiddenKey := os.Args[1], os.Args[2], os.Args[3]
	r := result{Client: "aws-sdk-go-v2"}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil { // no client at all: every step reports why
		m := describe(err)
		r.List, r.Get, r.Put, r.Presigned = m, m, m, m
		emit(r)
		return
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = os.Getenv("S3_ADDRESSING_STYLE") == "path"
	})

	r.List = list(ctx, client, bucket, key)
	r.Get = get(ctx, client, bucket, key)
	r.Put = put(ctx, client, bucket, forbiddenKey)
	r.Presigned = presign(ctx, client, bucket, key)
	emit(r)
}

func list(ctx context.Context, c *s3.Client, bucket, key string) string {
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		return describe(err)
	}
	for _, o := range out.Contents {
		if aws.ToString(o.Key) == key {
			return "ok"
		}
	}
	return clean(fmt.Sprintf("error: %s not listed (%d keys)", key, len(out.Contents)))
}

func get(ctx context.Context, c *s3.Client, bucket, key string) string {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return describe(err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		return describe(err)
	}
	sum := sha256.Sum256(body)
	return fmt.Sprintf("ok size=%d sha256=%s", len(body), hex.EncodeToString(sum[:]))
}

func put(ctx context.Context, c *s3.Client, bucket, forbiddenKey string) string {
	_, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket),
		Key:    aws.String(forbiddenKey),
		Body:   bytes.NewReader([]byte("must be refused")),
	})
	if err == nil {
		return "ALLOWED"
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "AccessDenied" {
		return "refused AccessDenied"
	}
	return describe(err)
}

func presign(ctx context.Context, c *s3.Client, bucket, key string) string {
	req, err := s3.NewPresignClient(c).PresignGetObject(ctx,
		&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		s3.WithPresignExpires(15*time.Minute))
	if err != nil {
		return describe(err)
	}
	return req.URL
}

// describe gives "error: CODE: message" for a service error, otherwise "error: TYPE: message" with
// the innermost cause's type (a *net.DNSError, an x509 error...) and the whole chain's message.
func describe(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return clean(fmt.Sprintf("error: %s: %s", api.ErrorCode(), api.ErrorMessage()))
	}
	root := err
	for {
		next := errors.Unwrap(root)
		if next == nil {
			break
		}
		root = next
	}
	return clean(fmt.Sprintf("error: %T: %v", root, err))
}

// clean makes one line, bounded, with the secret key (should any message carry it) redacted.
func clean(text string) string {
	line := strings.Join(strings.Fields(text), " ")
	if secret := os.Getenv("AWS_SECRET_ACCESS_KEY"); secret != "" {
		line = strings.ReplaceAll(line, secret, "<redacted>")
	}
	if len(line) > maxMessage {
		line = line[:maxMessage]
	}
	return line
}

func emit(r result) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false) // a presigned URL's '&' stays as it is
	if err := enc.Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, "could not write the result line:", err)
		os.Exit(1)
	}
}
