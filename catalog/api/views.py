from rest_framework.response import Response
from rest_framework.views import APIView


class CategoryListApi(APIView):
    def get(self, request):
        return Response([])


class ProductListApi(APIView):
    def get(self, request):
        return Response([])
