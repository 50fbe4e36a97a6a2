package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// LambdaInvocationsPath is where the AWS Lambda Runtime Interface Emulator
// takes invocations (the Lambda Invoke API path, function name "function").
const LambdaInvocationsPath = "/2015-03-31/functions/function/invocations"

type lambdaEndpoint struct{ http *httpEndpoint }

// LambdaEndpoint returns an endpoint that invokes a Lambda function through
// the Runtime Interface Emulator (RIE), as `docker run -p 9000:8080 …` of an
// AWS base image serves it. rawURL is the RIE's base URL
// (http://localhost:9000) or its full invocations URL. The envelope goes in
// as the event and the function's result is the response envelope.
//
// A function error, which the RIE and Lambda answer with HTTP 200, a body
// holding errorType and errorMessage and (Lambda, some RIE versions) the
// header X-Amz-Function-Error, is a *SkillError of kind FaultFunction.
func LambdaEndpoint(rawURL string, opts ...HTTPOption) (Endpoint, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("lambda endpoint %q: %v", rawURL, err)
	}
	if !strings.HasSuffix(u.Path, LambdaInvocationsPath) {
		if u.Path != "" && u.Path != "/" {
			return nil, fmt.Errorf("lambda endpoint %q: want the emulator's base URL (http://localhost:9000) or its invocations URL (…%s)", rawURL, LambdaInvocationsPath)
		}
		u.Path = LambdaInvocationsPath
	}
	ep, err := HTTPEndpoint(u.String(), opts...)
	if errors.Is(err, ErrCAFile) {
		return nil, err // about the file, not the lambda endpoint
	}
	if err != nil {
		return nil, fmt.Errorf("lambda %w", err)
	}
	return &lambdaEndpoint{http: ep.(*httpEndpoint)}, nil
}

func (e *lambdaEndpoint) String() string { return e.http.url }

func (e *lambdaEndpoint) Invoke(ctx context.Context, body []byte, header http.Header) (*Reply, error) {
	reply, err := e.http.Invoke(ctx, body, header)
	if err != nil {
		return reply, err
	}
	if fe := functionError(reply); fe != nil {
		fe.Endpoint = e.http.url
		return reply, fe
	}
	return reply, nil
}

// lambdaError is the body of a function error.
type lambdaError struct {
	ErrorMessage string   `json:"errorMessage"`
	ErrorType    string   `json:"errorType"`
	StackTrace   []string `json:"stackTrace"`
}

// functionError recognises a function error: the header, or an object with
// errorMessage or errorType and none of a response envelope's keys.
func functionError(r *Reply) *SkillError {
	header := r.Header.Get("X-Amz-Function-Error")
	b := bytes.TrimSpace(r.Body)
	if header == "" && !(bytes.HasPrefix(b, []byte("{")) && (bytes.Contains(b, []byte(`"errorMessage"`)) || bytes.Contains(b, []byte(`"errorType"`)))) {
		return nil
	}
	var le lambdaError
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) == nil {
		if _, ok := keys["response"]; ok && header == "" {
			return nil
		}
		_ = json.Unmarshal(b, &le)
	}
	if header == "" && le.ErrorMessage == "" && le.ErrorType == "" {
		return nil
	}
	msg := "function error"
	if header != "" {
		msg += " (X-Amz-Function-Error: " + header + ")"
	}
	switch {
	case le.ErrorType != "" && le.ErrorMessage != "":
		msg += ": " + le.ErrorType + ": " + le.ErrorMessage
	case le.ErrorType != "":
		msg += ": " + le.ErrorType
	case le.ErrorMessage != "":
		msg += ": " + le.ErrorMessage
	}
	return &SkillError{Kind: FaultFunction, StatusCode: r.Status, BodyStart: bodyStart(r.Body), Err: errors.New(msg)}
}
